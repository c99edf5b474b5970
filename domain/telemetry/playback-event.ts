/**
 * A playback telemetry event as players send it (seeds 000 and 001, plus cumulative counters and
 * CMCD-aligned fields). Counters are cumulative for the session, so the server takes deltas and a
 * lost or repeated heartbeat does no harm.
 */
import * as v from "valibot";
import { fastSafeParser } from "../shared/fast-validation.ts";
import { isoTimeMillis } from "../shared/iso-time.ts";

export const PLAYBACK_EVENT_TYPES = [
  "play",
  "first_frame",
  "heartbeat",
  "progress",
  "pause",
  "resume",
  "seek",
  "buffer_start",
  "buffer_end",
  "bitrate_change",
  "error",
  "stop",
  "ended",
] as const;
export type PlaybackEventType = (typeof PLAYBACK_EVENT_TYPES)[number];

const nonNegative = (max: number) => v.pipe(v.number(), v.minValue(0), v.maxValue(max));
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000_000));
const shortText = (max: number) => v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(max));
const DAY_MS = 24 * 3600 * 1000;

/** An instant as an ISO 8601 string or epoch milliseconds. */
const Instant = v.pipe(
  v.union([v.pipe(v.string(), v.isoTimestamp("must be an ISO 8601 timestamp")), v.number()]),
  v.transform((value) =>
    typeof value === "string" ? isoTimeMillis(value) : new Date(value).getTime()
  ),
  v.check((ms) => Number.isFinite(ms) && ms > 0, "must be a valid time"),
);

export const PlaybackEvent = v.strictObject({
  event_id: v.pipe(v.string(), v.uuid("must be a UUID")),
  type: v.picklist(PLAYBACK_EVENT_TYPES),
  session_id: shortText(128),
  /** Order of the event within its session, from 0. */
  seq: count,
  content_id: shortText(128),
  timestamp: Instant,
  user_id: v.optional(shortText(128)),
  profile_id: v.optional(shortText(128)),
  position_sec: v.optional(nonNegative(7 * 24 * 3600)),
  duration_sec: v.optional(nonNegative(7 * 24 * 3600)),
  bitrate_kbps: v.optional(nonNegative(1_000_000)),
  resolution: v.optional(
    v.pipe(v.string(), v.regex(/^(\d{2,5}x\d{2,5}|\d{3,4}p)$/, "like 1920x1080 or 1080p")),
  ),
  buffer_health_sec: v.optional(nonNegative(3600)),
  buffering_events: v.optional(count),
  dropped_frames: v.optional(count),
  /** Cumulative for the session: played and rebuffering time, stalls. */
  played_ms: v.optional(nonNegative(30 * DAY_MS)),
  rebuffer_ms: v.optional(nonNegative(30 * DAY_MS)),
  stalls: v.optional(count),
  /** On first_frame: play intent to first frame. */
  startup_ms: v.optional(nonNegative(10 * 60 * 1000)),
  error_code: v.optional(shortText(64)),
  fatal: v.optional(v.boolean()),
  seek_from_sec: v.optional(nonNegative(7 * 24 * 3600)),
  device_type: v.optional(v.picklist(["mobile", "tablet", "desktop", "tv", "console", "other"])),
  country: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, "an ISO 3166 alpha-2 code"))),
  cdn_pop: v.optional(shortText(32)),
  /** The player's own stable id, so a viewer's other devices can tell who changed the state. */
  device_id: v.optional(shortText(128)),
  /** CMCD (CTA-5004) keys a player may forward as they are. */
  cmcd: v.optional(
    v.record(v.pipe(v.string(), v.maxLength(16)), v.union([v.string(), v.number(), v.boolean()])),
  ),
});
export type PlaybackEvent = v.InferOutput<typeof PlaybackEvent>;

/** `v.safeParse(PlaybackEvent, raw)`, several times cheaper for valid events (ingest's hot path). */
export const parsePlaybackEvent = fastSafeParser(PlaybackEvent);

/** The batch envelope: events, plus when the client sent it (for clock-skew correction). */
export const PlaybackBatch = v.strictObject({
  sent_at: v.optional(Instant),
  events: v.pipe(v.array(v.unknown()), v.minLength(1, "send at least one event")),
});
