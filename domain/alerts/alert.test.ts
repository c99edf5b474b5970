import * as v from "valibot";
import assert from "node:assert/strict";
import { deciderSpec } from "../shared/decider-spec.ts";
import type { AlertEvent } from "./alert-events.ts";
import { alertDecider, type EvaluateWindow } from "./alert.ts";
import { AlertRules } from "./rules.ts";

const rule = v.parse(AlertRules, {
  rules: [{
    name: "HighRebuffering",
    metric: "rebuffering_ratio",
    condition: ">",
    threshold: 0.02,
    clear: 0.015,
    severity: "critical",
    min_sample: 20,
    message: "High rebuffering: {{value}} for content {{content_id}}",
  }],
}).rules[0]!;
const spec = deciderSpec(alertDecider);

const evaluate = (value: number | null, sample = 50, minute = 5): EvaluateWindow => ({
  type: "EvaluateWindow",
  rule,
  scope_id: "movie-7",
  value,
  sample,
  window_start: `2026-11-21T12:0${minute - 5}:00.000Z`,
  window_end: `2026-11-21T12:0${minute}:00.000Z`,
});
const facts = (command: EvaluateWindow) => ({
  rule: "HighRebuffering",
  metric: "rebuffering_ratio",
  severity: "critical" as const,
  scope_id: "movie-7",
  value: command.value!,
  threshold: 0.02,
  sample: command.sample,
  window_start: command.window_start,
  window_end: command.window_end,
  message: `High rebuffering: ${command.value} for content movie-7`,
});
const raised = (command: EvaluateWindow): AlertEvent => ({
  type: "AlertRaised",
  data: facts(command),
});

Deno.test("a breach with the minimum sample raises the alert", () => {
  const command = evaluate(0.03);
  spec.given([]).when(command).then([raised(command)]);
});

Deno.test("one bad session does not page: below the minimum sample nothing happens", () => {
  spec.given([]).when(evaluate(0.5, 3)).then([]);
  spec.given([]).when(evaluate(null)).then([]);
});

Deno.test("hysteresis: a raised alert stays until the figure is back past the clear point", () => {
  const history = [raised(evaluate(0.03))];
  spec.given(history).when(evaluate(0.018, 50, 6)).then([]);
  const back = evaluate(0.01, 50, 7);
  spec.given(history).when(back).then([{ type: "AlertResolved", data: facts(back) }]);
});

Deno.test("the same window evaluated again appends nothing", () => {
  const command = evaluate(0.03);
  spec.given([raised(command)]).when({ ...command, value: 0.001 }).then([]);
});

Deno.test("rules: the clear point must be on the good side, names unique", () => {
  const base = {
    name: "X",
    metric: "qoe_score",
    condition: "<",
    threshold: 70,
    severity: "warning",
  };
  assert.equal(v.safeParse(AlertRules, { rules: [{ ...base, clear: 65 }] }).success, false);
  assert.equal(v.safeParse(AlertRules, { rules: [{ ...base, clear: 75 }] }).success, true);
  const twice = { rules: [{ ...base, clear: 75 }, { ...base, clear: 80 }] };
  assert.equal(v.safeParse(AlertRules, twice).success, false);
});
