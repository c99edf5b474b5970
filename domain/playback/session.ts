/**
 * A playback session as its telemetry tells it, from play intent to stop, end, fatal error or
 * silence. Counters are cumulative in the events, so folding takes maxima: a lost, repeated or
 * reordered heartbeat changes nothing, and a session is credited with no more watch time than its
 * last event reported.
 */
import type { JsonObject } from "../ports/event-store.ts";

export interface SessionSummary {
  session_id: string;
  content_id: string;
  user_id: string | null;
  profile_id: string | null;
  device_type: string | null;
  country: string | null;
  started_at: string;
  first_frame_at: string | null;
  last_event_at: string;
  last_seq: number;
  position_sec: number | null;
  played_ms: number;
  rebuffer_ms: number;
  stalls: number;
  /** How it ended: "stop", "ended" or "error" (a fatal one); null while it has not. */
  ended_by: string | null;
  error_code: string | null;
}

export type SessionStatus = "playing" | "ended" | "failed" | "dropped";

/** The summary after one enriched telemetry value; records that are not playback events are ignored. */
export function foldSession(
  current: SessionSummary | undefined,
  value: JsonObject,
): SessionSummary | undefined {
  const { session_id, content_id, type, seq, timestamp } = value;
  if (typeof session_id !== "string" || typeof content_id !== "string" || typeof seq !== "number") {
    return current;
  }
  const at = String(timestamp);
  const base: SessionSummary = current ?? {
    session_id,
    content_id,
    user_id: text(value.user_id),
    profile_id: text(value.profile_id),
    device_type: text(value.device_type),
    country: text(value.country),
    started_at: at,
    first_frame_at: null,
    last_event_at: at,
    last_seq: -1,
    position_sec: null,
    played_ms: 0,
    rebuffer_ms: 0,
    stalls: 0,
    ended_by: null,
    error_code: null,
  };
  const newer = seq > base.last_seq;
  const ends = type === "stop" || type === "ended" || (type === "error" && value.fatal === true);
  return {
    ...base,
    started_at: earlier(base.started_at, at),
    first_frame_at: type === "first_frame"
      ? earlier(base.first_frame_at ?? at, at)
      : base.first_frame_at,
    last_event_at: later(base.last_event_at, at),
    last_seq: Math.max(base.last_seq, seq),
    position_sec: newer && typeof value.position_sec === "number"
      ? value.position_sec
      : base.position_sec,
    played_ms: Math.max(base.played_ms, number(value.played_ms)),
    rebuffer_ms: Math.max(base.rebuffer_ms, number(value.rebuffer_ms)),
    stalls: Math.max(base.stalls, number(value.stalls)),
    ended_by: base.ended_by ?? (ends ? (type === "error" ? "error" : String(type)) : null),
    error_code: base.error_code ?? (ends && type === "error" ? text(value.error_code) : null),
  };
}

/**
 * Where a session stands at `now`: a session silent for three heartbeat intervals is dropped (the
 * player went away without saying so).
 */
export function sessionStatus(
  session: SessionSummary,
  now: number,
  heartbeatSec: number,
): SessionStatus {
  if (session.ended_by === "error") return "failed";
  if (session.ended_by) return "ended";
  return now - Date.parse(session.last_event_at) > silenceMs(heartbeatSec) ? "dropped" : "playing";
}

/** How long a session may stay silent and still be playing: three heartbeat intervals. */
export const silenceMs = (heartbeatSec: number) => 3 * heartbeatSec * 1000;

const text = (value: unknown) => typeof value === "string" ? value : null;
const number = (value: unknown) => typeof value === "number" ? value : 0;
const earlier = (a: string, b: string) => Date.parse(a) <= Date.parse(b) ? a : b;
const later = (a: string, b: string) => Date.parse(a) >= Date.parse(b) ? a : b;
