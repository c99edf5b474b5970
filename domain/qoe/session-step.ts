/**
 * How one telemetry event of a playback session changes the QoE figures (decision 0011). The
 * session's state remembers what was already counted, so each session is counted once per play,
 * start, failure, error, completion and exit, and cumulative counters contribute only their
 * increase: a repeated or older event (its `seq` not above the last one applied) contributes
 * nothing. Kafka keys the log by session, so a session's events arrive in order.
 */
import type { JsonObject } from "../ports/event-store.ts";

/** A session as QoE sees it: its dimensions and what has been counted of it so far. */
export interface QoeSession {
  session_id: string;
  content_id: string;
  country: string;
  cdn_pop: string;
  device_type: string;
  /** Who watches (user and profile), or the session itself when anonymous: for unique viewers. */
  viewer: string;
  last_seq: number;
  /** Epoch ms of the last event applied: whether the session is live now. */
  last_event_ms: number;
  play_ms: number | null;
  started: boolean;
  errored: boolean;
  failed: boolean;
  completed: boolean;
  ended: boolean;
  seeking: boolean;
  /** Epoch ms at which the open rebuffering stall began, if one is open. */
  stall_since_ms: number | null;
  played_ms: number;
  dropped_frames: number;
  bitrate_kbps: number | null;
  duration_sec: number | null;
  /** Start (epoch ms) of the last minute the session was counted active in. */
  active_minute_ms: number;
}

/** What one event adds to its window (all zero for most fields of most events). */
export interface QoeDelta {
  plays: number;
  video_starts: number;
  /** Video start time of this session (ms), into the window's sketch. */
  vst_ms: number | null;
  exits_before_start: number;
  failures: number;
  error_sessions: number;
  completions: number;
  played_ms: number;
  rebuffer_ms: number;
  rebuffers: number;
  dropped_frames: number;
  /** Bitrate times played time, over the played time whose bitrate is known. */
  bitrate_kbps_ms: number;
  bitrate_played_ms: number;
  ended_sessions: number;
  session_ms: number;
}

export const COMPLETION_FRACTION = 0.7;

export const emptyDelta = (): QoeDelta => ({
  plays: 0,
  video_starts: 0,
  vst_ms: null,
  exits_before_start: 0,
  failures: 0,
  error_sessions: 0,
  completions: 0,
  played_ms: 0,
  rebuffer_ms: 0,
  rebuffers: 0,
  dropped_frames: 0,
  bitrate_kbps_ms: 0,
  bitrate_played_ms: 0,
  ended_sessions: 0,
  session_ms: 0,
});

/** The fields of a telemetry record QoE reads, or undefined for a record that is not a playback event. */
export interface QoeEvent {
  session_id: string;
  content_id: string;
  type: string;
  seq: number;
  at_ms: number;
  value: JsonObject;
}

export function qoeEventOf(value: JsonObject): QoeEvent | undefined {
  const { session_id, content_id, type, seq, timestamp } = value;
  const at_ms = typeof timestamp === "string" ? Date.parse(timestamp) : NaN;
  if (
    typeof session_id !== "string" || typeof content_id !== "string" || typeof type !== "string" ||
    typeof seq !== "number" || !Number.isFinite(at_ms)
  ) return undefined;
  return { session_id, content_id, type, seq, at_ms, value };
}

export function newSession(event: QoeEvent): QoeSession {
  const { value } = event;
  const user = text(value.user_id);
  return {
    session_id: event.session_id,
    content_id: event.content_id,
    country: text(value.country) ?? "unknown",
    cdn_pop: text(value.cdn_pop) ?? "unknown",
    device_type: text(value.device_type) ?? "unknown",
    viewer: user ? `${user}/${text(value.profile_id) ?? "default"}` : `session:${event.session_id}`,
    last_seq: -1,
    last_event_ms: event.at_ms,
    play_ms: null,
    started: false,
    errored: false,
    failed: false,
    completed: false,
    ended: false,
    seeking: false,
    stall_since_ms: null,
    played_ms: 0,
    dropped_frames: 0,
    bitrate_kbps: null,
    duration_sec: null,
    active_minute_ms: -1,
  };
}

/** A repeated or older event: its seq is not above the last one applied. */
export const isRepeat = (session: QoeSession, event: QoeEvent) => event.seq <= session.last_seq;

/** The session after `event` and what the event adds to its window. Call only for a non-repeat. */
export function stepSession(before: QoeSession, event: QoeEvent): [QoeSession, QoeDelta] {
  const { type, at_ms, value } = event;
  const s: QoeSession = { ...before, last_seq: event.seq };
  s.last_event_ms = Math.max(s.last_event_ms, at_ms);
  const d = emptyDelta();

  if (type === "play" && s.play_ms === null) {
    s.play_ms = at_ms;
    d.plays = 1;
  }
  if (type === "first_frame" && !s.started) {
    s.started = true;
    d.video_starts = 1;
    const startup = number(value.startup_ms);
    d.vst_ms = startup ?? (s.play_ms === null ? null : Math.max(0, at_ms - s.play_ms));
  }
  takeCounters(s, d, value);
  stepStalls(s, d, type, at_ms);
  if (type === "error") {
    if (!s.errored) d.error_sessions = 1;
    s.errored = true;
    if (value.fatal === true && !s.failed) {
      s.failed = true;
      d.failures = 1;
    }
  }
  const completes = s.duration_sec
    ? s.played_ms / 1000 > COMPLETION_FRACTION * s.duration_sec
    : type === "ended";
  if (completes && s.started && !s.completed) {
    s.completed = true;
    d.completions = 1;
  }
  const ends = type === "stop" || type === "ended" || (type === "error" && value.fatal === true);
  if (ends && !s.ended) endSession(s, d, type, at_ms);
  return [s, d];
}

/** Cumulative counters: only their increase counts; bitrate is weighted by the played time. */
function takeCounters(s: QoeSession, d: QoeDelta, value: JsonObject) {
  const bitrate = number(value.bitrate_kbps);
  const duration = number(value.duration_sec);
  if (duration && duration > 0) s.duration_sec = duration;
  const played = number(value.played_ms) ?? s.played_ms;
  if (played > s.played_ms) {
    const increase = played - s.played_ms;
    d.played_ms = increase;
    const rate = bitrate ?? s.bitrate_kbps;
    if (rate !== null) {
      d.bitrate_kbps_ms = rate * increase;
      d.bitrate_played_ms = increase;
    }
    s.played_ms = played;
  }
  if (bitrate !== null) s.bitrate_kbps = bitrate;
  const dropped = number(value.dropped_frames) ?? s.dropped_frames;
  if (dropped > s.dropped_frames) {
    d.dropped_frames = dropped - s.dropped_frames;
    s.dropped_frames = dropped;
  }
}

/**
 * Rebuffering from buffer_start/buffer_end: a stall before the first frame is startup (already in
 * the video start time) and one that follows a seek is the seek's; neither counts. The stall is
 * counted when it begins and its time when it ends.
 */
function stepStalls(s: QoeSession, d: QoeDelta, type: string, at_ms: number) {
  if (type === "seek") {
    s.seeking = true;
    return;
  }
  if (type === "buffer_start") {
    if (s.started && !s.seeking && s.stall_since_ms === null) {
      s.stall_since_ms = at_ms;
      d.rebuffers = 1;
    }
    return;
  }
  s.seeking = false;
  if (type === "buffer_end") closeStall(s, d, at_ms);
}

function closeStall(s: QoeSession, d: QoeDelta, at_ms: number) {
  if (s.stall_since_ms === null) return;
  d.rebuffer_ms += Math.max(0, at_ms - s.stall_since_ms);
  s.stall_since_ms = null;
}

/** An exit before video start is a play intent that ends without a first frame and without an error. */
function endSession(s: QoeSession, d: QoeDelta, type: string, at_ms: number) {
  s.ended = true;
  closeStall(s, d, at_ms);
  if (!s.started && !s.errored && type !== "error") d.exits_before_start = 1;
  if (s.play_ms !== null) {
    d.ended_sessions = 1;
    d.session_ms = Math.max(0, at_ms - s.play_ms);
  }
}

const text = (value: unknown) => typeof value === "string" && value !== "" ? value : null;
const number = (value: unknown) => typeof value === "number" ? value : null;
