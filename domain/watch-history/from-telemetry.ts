/**
 * What one telemetry record tells the watch history. Playback events of the ingest endpoint and
 * the position writes of PUT /v1/me/positions share the telemetry log; both are read here.
 */
import * as v from "valibot";
import { DEFAULT_PROFILE } from "./viewer.ts";
import type { WatchEntry } from "./watch-entry.ts";

/** The record type of a position written with PUT /v1/me/positions/{content_id}. */
export const POSITION_RECORD_TYPE = "position";

/**
 * Records whose position_sec is where the viewer is. play and first_frame are left out: they carry
 * where playback was asked to start, and a start that never showed a frame is not watching.
 */
export const POSITION_TYPES: ReadonlySet<string> = new Set([
  POSITION_RECORD_TYPE,
  "heartbeat",
  "progress",
  "pause",
  "resume",
  "seek",
  "stop",
  "ended",
]);

const text = v.pipe(v.string(), v.nonEmpty());
const seconds = v.pipe(v.number(), v.minValue(0));

/** The fields read; the rest of a record is ignored (the log has many readers and writers). */
const WatchRecord = v.looseObject({
  type: v.string(),
  user_id: text,
  profile_id: v.optional(text),
  content_id: text,
  timestamp: v.pipe(v.string(), v.isoTimestamp()),
  received_at: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  position_sec: v.optional(seconds),
  duration_sec: v.optional(seconds),
  session_id: v.optional(text),
  device_id: v.optional(text),
});

/**
 * The event time of a record: its (skew-corrected) timestamp, but never later than its arrival,
 * so a device with a fast clock cannot pin a position that newer writes could not replace.
 */
export function eventTimeOf(timestamp: string, receivedAt: string | undefined): number {
  const at = Date.parse(timestamp);
  const received = receivedAt === undefined ? NaN : Date.parse(receivedAt);
  return Number.isNaN(received) ? at : Math.min(at, received);
}

/**
 * The record as a one-record watch entry, or undefined when it does not count: another type,
 * anonymous playback (no user), or a record without a position that is not an `ended`.
 */
export function watchEntryOf(value: unknown): WatchEntry | undefined {
  const parsed = v.safeParse(WatchRecord, value);
  if (!parsed.success || !POSITION_TYPES.has(parsed.output.type)) return undefined;
  const record = parsed.output;
  const ended = record.type === "ended";
  if (record.position_sec === undefined && !ended) return undefined;
  const atMs = eventTimeOf(record.timestamp, record.received_at);
  if (!Number.isFinite(atMs)) return undefined;
  const entry: WatchEntry = {
    userId: record.user_id,
    profileId: record.profile_id ?? DEFAULT_PROFILE,
    contentId: record.content_id,
    lastWatchedAtMs: atMs,
  };
  if (record.duration_sec !== undefined) entry.durationSec = record.duration_sec;
  if (ended) entry.endedAtMs = atMs;
  if (record.position_sec !== undefined) {
    // A seek's position is where the viewer jumped to, not what they watched: skimming to the
    // credits and back does not complete an item.
    if (record.type !== "seek") entry.furthestSec = record.position_sec;
    entry.position = { positionSec: record.position_sec, atMs };
    if (record.session_id !== undefined) entry.position.sessionId = record.session_id;
    if (record.device_id !== undefined) entry.position.deviceId = record.device_id;
  }
  return entry;
}
