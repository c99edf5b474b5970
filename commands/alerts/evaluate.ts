/**
 * The alert reactor's step: for each rule, the latest window every partition has closed is read
 * from the QoE read model, per content item or overall, and each figure goes to its alert's
 * decider (stream `alert-<rule>-<scope>`), which appends AlertRaised/AlertResolved. Whoever
 * appends also notifies; another instance evaluating the same window appends nothing.
 */
import { alertEventTypes } from "../../domain/alerts/alert-events.ts";
import type { AlertEvent } from "../../domain/alerts/alert-events.ts";
import { alertDecider } from "../../domain/alerts/alert.ts";
import { watchedFigure } from "../../domain/alerts/figures.ts";
import type { AlertRule } from "../../domain/alerts/rules.ts";
import type { AlertNotifier } from "../../domain/ports/alert-notifier.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { QuantileSketches } from "../../domain/ports/quantile-sketch.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { qoeMetrics } from "../../domain/qoe/metrics.ts";
import { WINDOW_SIZES } from "../../domain/qoe/windows.ts";
import { lowestWatermark, windowInputs } from "../../projections/qoe/queries.ts";
import { type Aggregate, handleCommand } from "../handle-command.ts";

export const alertAggregate: Aggregate<
  Parameters<typeof alertDecider.decide>[0],
  AlertEvent,
  ReturnType<typeof alertDecider.initialState>
> = { category: "alert", decider: alertDecider, eventTypes: alertEventTypes };

export interface AlertEvaluationDeps {
  store: EventStore;
  sql: SqlExecutor;
  sketches: QuantileSketches;
  rules: readonly AlertRule[];
  allowedLatenessSec: number;
  targetBitrateKbps: number;
  notifier?: AlertNotifier;
  logger: Logger;
}

/** Evaluates every rule once; returns the alert events appended. */
export async function evaluateAlerts(deps: AlertEvaluationDeps): Promise<AlertEvent[]> {
  const watermark = await lowestWatermark(deps.sql);
  if (watermark === null) return [];
  const appended: AlertEvent[] = [];
  for (const rule of deps.rules) {
    const sizeMs = WINDOW_SIZES[rule.window] * 1000;
    const toMs = Math.floor((watermark - deps.allowedLatenessSec * 1000) / sizeMs) * sizeMs;
    const fromMs = toMs - sizeMs;
    const groups = await windowInputs(deps.sql, deps.sketches, {
      fromMs,
      toMs,
      groupBy: rule.scope === "content" ? "content_id" : undefined,
    });
    for (const { group, inputs } of groups) {
      const scopeId = group ?? "overall";
      const figure = watchedFigure(qoeMetrics(inputs, deps), rule.metric);
      const { events } = await handleCommand(
        deps.store,
        alertAggregate,
        `${rule.name}-${encodeURIComponent(scopeId)}`,
        {
          type: "EvaluateWindow",
          rule,
          scope_id: scopeId,
          ...figure,
          window_start: new Date(fromMs).toISOString(),
          window_end: new Date(toMs).toISOString(),
        },
        { metadata: { actor: "system:alerts" } },
      );
      for (const event of events) await announce(deps, event);
      appended.push(...events);
    }
  }
  return appended;
}

/** The stream is the record; a webhook that fails is logged, not retried. */
async function announce(deps: AlertEvaluationDeps, event: AlertEvent) {
  deps.logger.warn(event.type === "AlertRaised" ? "alert raised" : "alert resolved", event.data);
  if (!deps.notifier) return;
  try {
    await deps.notifier.notify(event);
  } catch (error) {
    deps.logger.error("alert webhook failed", { rule: event.data.rule, error: String(error) });
  }
}
