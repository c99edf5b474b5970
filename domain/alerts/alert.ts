/**
 * The alert decider, one per rule and scope: a window's figure raises the alert when it breaches
 * the rule and resolves it once back past the clear point, both only with the minimum sample. A
 * window no later than the last one that changed the alert changes nothing, so evaluating the
 * same window again (another instance, a restart) appends nothing.
 */
import type { Decider } from "../shared/decider.ts";
import type { AlertEvent, AlertFacts } from "./alert-events.ts";
import { alertMessage, type AlertRule, breaches, clears } from "./rules.ts";

export interface AlertState {
  firing: boolean;
  /** End of the last window that raised or resolved the alert (ISO 8601). */
  last_window_end: string | null;
}

export interface EvaluateWindow {
  type: "EvaluateWindow";
  rule: AlertRule;
  scope_id: string;
  /** The figure, or null when the window has none (no start, say). */
  value: number | null;
  sample: number;
  window_start: string;
  window_end: string;
}

export const alertDecider: Decider<EvaluateWindow, AlertEvent, AlertState> = {
  initialState: () => ({ firing: false, last_window_end: null }),

  evolve: (_state, event) => ({
    firing: event.type === "AlertRaised",
    last_window_end: event.data.window_end,
  }),

  decide(command, state) {
    const { rule, value } = command;
    if (value === null || command.sample < rule.min_sample) return [];
    if (
      state.last_window_end && Date.parse(command.window_end) <= Date.parse(state.last_window_end)
    ) {
      return [];
    }
    const facts: AlertFacts = {
      rule: rule.name,
      metric: rule.metric,
      severity: rule.severity,
      scope_id: command.scope_id,
      value,
      threshold: rule.threshold,
      sample: command.sample,
      window_start: command.window_start,
      window_end: command.window_end,
      message: alertMessage(rule, command.scope_id, value),
    };
    if (!state.firing && breaches(rule, value)) return [{ type: "AlertRaised", data: facts }];
    if (state.firing && clears(rule, value)) return [{ type: "AlertResolved", data: facts }];
    return [];
  },
};
