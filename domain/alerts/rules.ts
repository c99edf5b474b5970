/**
 * Alert rules as users write them (config/alert-rules.json): a QoE figure, a threshold, a severity,
 * and what keeps one bad session from paging: a minimum sample (plays, or video starts for start
 * time) and hysteresis (a raised alert resolves only once the figure is back past `clear`).
 */
import * as v from "valibot";
import { WINDOW_NAMES } from "../qoe/windows.ts";

/** Figures a rule can watch, and the count that is their sample. */
export const ALERT_METRICS = {
  qoe_score: "plays",
  rebuffering_ratio: "video_starts",
  vst_p95_ms: "video_starts",
  error_rate: "plays",
  playback_failure_rate: "plays",
  exits_before_video_start_rate: "plays",
  completion_rate: "video_starts",
} as const;
export type AlertMetric = keyof typeof ALERT_METRICS;

const AlertRule = v.pipe(
  v.strictObject({
    name: v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "letters, digits, _ and -")),
    metric: v.picklist(Object.keys(ALERT_METRICS) as AlertMetric[]),
    /** Fires when the figure is above (">") or below ("<") the threshold. */
    condition: v.picklist([">", "<"]),
    threshold: v.number(),
    /** Resolves once the figure is back past this (on the good side of the threshold). */
    clear: v.number(),
    severity: v.picklist(["warning", "critical"]),
    /** Per content item, or the whole service. */
    scope: v.optional(v.picklist(["content", "overall"]), "content"),
    window: v.optional(v.picklist(WINDOW_NAMES), "5m"),
    min_sample: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 20),
    /** Placeholders: {{value}}, {{threshold}}, {{metric}}, {{scope_id}}, {{content_id}}. */
    message: v.optional(v.pipe(v.string(), v.maxLength(500))),
  }),
  v.check(
    (rule) => rule.condition === ">" ? rule.clear <= rule.threshold : rule.clear >= rule.threshold,
    "clear must be on the good side of the threshold (hysteresis)",
  ),
);
export type AlertRule = v.InferOutput<typeof AlertRule>;

export const AlertRules = v.pipe(
  v.strictObject({ rules: v.array(AlertRule) }),
  v.check(
    (file) => new Set(file.rules.map((rule) => rule.name)).size === file.rules.length,
    "rule names must be unique",
  ),
);

/** Whether a figure breaches the rule, or (for a raised alert) is back past its clear point. */
export const breaches = (rule: AlertRule, value: number) =>
  rule.condition === ">" ? value > rule.threshold : value < rule.threshold;
export const clears = (rule: AlertRule, value: number) =>
  rule.condition === ">" ? value <= rule.clear : value >= rule.clear;

export function alertMessage(rule: AlertRule, scopeId: string, value: number): string {
  const fields: Record<string, string> = {
    value: String(value),
    threshold: String(rule.threshold),
    metric: rule.metric,
    scope_id: scopeId,
    content_id: rule.scope === "content" ? scopeId : "all content",
  };
  const template = rule.message ?? `${rule.name}: {{metric}} {{value}} for {{content_id}}`;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key) => fields[key] ?? whole);
}
