/**
 * The hot leaderboards outside SQL (Redis sorted sets, through the LeaderboardStore port). A
 * projection of its own, beside the SQL one, so that a Redis outage stalls only the boards (their
 * batches are retried) while the SQL aggregates the reads fall back to keep up. Views are counted
 * in SQL with the checkpoint (count.ts); the store skips views at or below the position it has
 * applied for their partition, so a batch applied again after a lost transaction adds nothing.
 */
import { DEFAULT_VIEW_RULE, type ViewRule } from "../../domain/analytics/view-rule.ts";
import type { LeaderboardStore } from "../../domain/ports/leaderboard.ts";
import type { TelemetryProjection } from "../runtime/projection.ts";
import { TELEMETRY_BATCH_SIZE } from "../runtime/telemetry-batch.ts";
import { COUNTING_TABLES, countViews, forgetStaleSessions, setupCounting } from "./count.ts";

export const BOARDS_PROJECTION = "view_boards";

export function viewBoardsProjection(
  store: LeaderboardStore,
  rule: ViewRule = DEFAULT_VIEW_RULE,
  clock: () => number = Date.now,
): TelemetryProjection {
  return {
    source: "telemetry",
    name: BOARDS_PROJECTION,
    version: 1,
    batchSize: TELEMETRY_BATCH_SIZE,
    tables: [...COUNTING_TABLES],
    setup: setupCounting,
    forget: forgetStaleSessions,
    async apply(tx, schema, records) {
      const views = await countViews(tx, schema, records, rule);
      if (views.length > 0) await store.record(schema, views, clock());
    },
    onRetire: (schema) => store.drop(schema),
  };
}
