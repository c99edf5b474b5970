/**
 * The watch-position command: a player says where a viewer is in an item. It becomes a "position"
 * record on the telemetry log, beside the heartbeats, and the watch history projection folds both
 * with the same rule (the last position by event time wins).
 */
import * as v from "valibot";
import type { JsonObject } from "../ports/event-store.ts";
import type { TelemetryRecord } from "../ports/telemetry-log.ts";
import { POSITION_RECORD_TYPE } from "./from-telemetry.ts";
import type { Viewer } from "./viewer.ts";

const WEEK_SEC = 7 * 24 * 3600;
const optionalText = v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(128)));

/** When the client saw the position: an ISO 8601 time or epoch milliseconds. */
const ClientTime = v.pipe(
  v.union(
    [v.pipe(v.string(), v.isoTimestamp()), v.pipe(v.number(), v.integer(), v.minValue(1))],
    "must be an ISO 8601 timestamp or epoch milliseconds",
  ),
  v.transform((value) => new Date(value).getTime()),
  v.check((ms) => Number.isFinite(ms), "must be a valid time"),
);

export const PositionReport = v.pipe(
  v.strictObject({
    position_sec: v.pipe(v.number(), v.minValue(0), v.maxValue(WEEK_SEC)),
    duration_sec: v.optional(v.pipe(v.number(), v.gtValue(0), v.maxValue(WEEK_SEC))),
    client_time: ClientTime,
    device_id: optionalText,
    session_id: optionalText,
  }),
  v.forward(
    v.check(
      ({ position_sec, duration_sec }) =>
        duration_sec === undefined || position_sec <= duration_sec,
      "must not be past duration_sec",
    ),
    ["position_sec"],
  ),
);
export type PositionReport = v.InferOutput<typeof PositionReport>;

export interface PositionContext {
  viewer: Viewer;
  contentId: string;
  eventId: string;
  receivedAtMs: number;
}

/**
 * The record for the log. Its key is the session when there is one, so the write lands on the
 * session's partition and is applied in order with that session's heartbeats (a final position
 * after the last heartbeat stays after it). Without a session, one key per viewer and item keeps
 * that viewer's writes for the item in order on one partition. Correctness does not rest on the
 * key: the projection compares event times, so a write from another partition cannot go back.
 */
export function positionRecord(report: PositionReport, context: PositionContext): TelemetryRecord {
  const { viewer, contentId, receivedAtMs } = context;
  const key = report.session_id ??
    `position:${viewer.userId}:${viewer.profileId}:${contentId}`;
  const value: JsonObject = {
    type: POSITION_RECORD_TYPE,
    event_id: context.eventId,
    user_id: viewer.userId,
    profile_id: viewer.profileId,
    content_id: contentId,
    position_sec: report.position_sec,
    // A position reported from the future (a fast device clock) counts as reported now.
    timestamp: new Date(Math.min(report.client_time, receivedAtMs)).toISOString(),
    client_timestamp: new Date(report.client_time).toISOString(),
    received_at: new Date(receivedAtMs).toISOString(),
  };
  if (report.duration_sec !== undefined) value.duration_sec = report.duration_sec;
  if (report.session_id !== undefined) value.session_id = report.session_id;
  if (report.device_id !== undefined) value.device_id = report.device_id;
  return { key, value };
}
