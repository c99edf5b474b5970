/**
 * CMCD (CTA-5004) as a playback event: the same event POST /v1/events takes, so it goes through
 * the same validation, enrichment, repeat filter and log. The mapping (docs/decisions/0013):
 *
 * | CMCD                     | playback event                                            |
 * | ------------------------ | --------------------------------------------------------- |
 * | sid                      | session_id (required)                                     |
 * | cid                      | content_id (else the route's content, for segment routes) |
 * | sn                       | seq (else derived from the payload: see CmcdIdentity)     |
 * | ts                       | timestamp (else the time the server received it)          |
 * | pt (ms)                  | position_sec                                              |
 * | br (kbps), else pb       | bitrate_kbps (first of a v2 list)                         |
 * | bl (ms)                  | buffer_health_sec                                         |
 * | dfa                      | dropped_frames                                            |
 * | ec                       | error_code (first); `sta=f` makes it fatal                |
 * | cdn                      | cdn_pop                                                   |
 * | e, sta                   | type (tables below)                                       |
 * | every key (bs, mtp, ...) | cmcd, as sent (lists by their first value)                |
 *
 * bs (buffer starvation since the last request), mtp, d, ot, st, sf, su and the rest have no
 * field of their own and are kept in `cmcd` for QoE.
 */
import type { CmcdData } from "../ports/cmcd-decoder.ts";
import type { PlaybackEventType } from "./playback-event.ts";

/**
 * A play state (`sta`) reported in event mode (`e=ps`): a change the player saw. s starting,
 * p playing, k seeking, r rebuffering, a paused, w waiting, e ended, f fatal error, q quit,
 * d preloading.
 */
const STATE_CHANGE: Readonly<Record<string, PlaybackEventType>> = {
  s: "play",
  p: "resume",
  k: "seek",
  r: "buffer_start",
  a: "pause",
  w: "pause",
  e: "ended",
  f: "error",
  q: "stop",
};

/**
 * The state on a media request (request mode) is where the player is, sent with every segment:
 * playing reads as a heartbeat, not a resume; startup, rebuffering and preloading requests are
 * progress (their counters and `cmcd` still count).
 */
const STATE_ON_REQUEST: Readonly<Record<string, PlaybackEventType>> = {
  p: "heartbeat",
  k: "seek",
  a: "pause",
  w: "pause",
  e: "ended",
  f: "error",
  q: "stop",
};

/** Event-mode event types (`e`) other than play state; the rest (mute, ads, ...) are progress. */
const EVENT_TYPE: Readonly<Record<string, PlaybackEventType>> = {
  t: "heartbeat",
  bc: "bitrate_change",
  e: "error",
};

/** What the payload itself does not say. */
export interface CmcdIdentity {
  /** A UUID that is the same for the same payload from the same place (repeats are dropped). */
  eventId: string;
  /** The order within the session when the player sent no `sn`. */
  fallbackSeq: number;
  receivedAt: number;
  /** The content a segment route serves, when the player sent no `cid`. */
  contentId?: string;
}

/** The playback event (not yet validated) of one CMCD payload. */
export function playbackEventFromCmcd(
  cmcd: CmcdData,
  identity: CmcdIdentity,
): Record<string, unknown> {
  const event: Record<string, unknown> = {
    event_id: identity.eventId,
    type: typeOf(cmcd),
    session_id: cmcd.sid,
    seq: cmcd.sn ?? identity.fallbackSeq,
    content_id: cmcd.cid ?? identity.contentId,
    timestamp: cmcd.ts ?? identity.receivedAt,
    position_sec: scaled(cmcd.pt, 1 / 1000),
    bitrate_kbps: first(cmcd.br) ?? first(cmcd.pb),
    buffer_health_sec: scaled(first(cmcd.bl), 1 / 1000),
    dropped_frames: cmcd.dfa,
    error_code: first(cmcd.ec),
    fatal: cmcd.sta === "f" ? true : undefined,
    cdn_pop: cmcd.cdn,
    cmcd: Object.fromEntries(Object.entries(cmcd).map(([key, value]) => [key, first(value)])),
  };
  return Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined));
}

function typeOf(cmcd: CmcdData): PlaybackEventType {
  const state = typeof cmcd.sta === "string" ? cmcd.sta : "";
  if (cmcd.e === undefined) return STATE_ON_REQUEST[state] ?? "progress";
  if (cmcd.e === "ps") return STATE_CHANGE[state] ?? "progress";
  return EVENT_TYPE[String(cmcd.e)] ?? "progress";
}

/** A v2 list's first value, a parameterised item's value, or the value as it is. */
function first(value: unknown): unknown {
  const item = Array.isArray(value) ? value[0] : value;
  return typeof item === "object" && item !== null && "value" in item ? item.value : item;
}

/** A number times `factor` (ms to s); anything else as it is, for validation to name. */
function scaled(value: unknown, factor: number): unknown {
  return typeof value === "number" ? value * factor : value;
}
