/** Events of an alert stream (one stream per rule and scope): raised, then resolved, and again. */
import * as v from "valibot";
import { defineEventTypes, type EventDefinitions, type EventsOf } from "../shared/event-types.ts";

const AlertFacts = v.object({
  rule: v.string(),
  metric: v.string(),
  severity: v.picklist(["warning", "critical"]),
  /** "overall", or the content id. */
  scope_id: v.string(),
  value: v.number(),
  threshold: v.number(),
  sample: v.number(),
  window_start: v.string(),
  window_end: v.string(),
  message: v.string(),
});
export type AlertFacts = v.InferOutput<typeof AlertFacts>;

const definitions = {
  AlertRaised: { version: 1, schema: AlertFacts },
  AlertResolved: { version: 1, schema: AlertFacts },
} satisfies EventDefinitions;

export const alertEventTypes = defineEventTypes(definitions);
export type AlertEvent = EventsOf<typeof definitions>;
export const ALERT_EVENT_TYPES = Object.keys(definitions);
