/**
 * Multi-device sync (seed 004): what a viewer's other devices are told when one device plays,
 * pauses, seeks or stops. A state comes from an accepted telemetry record (a playback event of
 * POST /v1/events or a position of PUT /v1/me/positions) and goes to the viewer's channel.
 */
import * as v from "valibot";
import type { JsonObject } from "../ports/event-store.ts";
import { eventTimeOf, POSITION_RECORD_TYPE } from "../watch-history/from-telemetry.ts";
import { DEFAULT_PROFILE, type Viewer } from "../watch-history/viewer.ts";

export type PlaybackState = "playing" | "paused" | "stopped";

/**
 * The record types that change what other devices should show, and the state each one means. A
 * seek happens while playing more often than while paused; a position write is what players send
 * when they leave or pause, so it reads as paused.
 */
const STATE_OF: Readonly<Record<string, PlaybackState>> = {
  play: "playing",
  resume: "playing",
  heartbeat: "playing",
  seek: "playing",
  pause: "paused",
  [POSITION_RECORD_TYPE]: "paused",
  stop: "stopped",
  ended: "stopped",
};

/** The message type on the wire, so clients can tell it from the socket's own notices. */
export const PLAYBACK_STATE_MESSAGE = "playback_state";

const text = v.pipe(v.string(), v.nonEmpty());
const SyncSource = v.looseObject({
  type: v.string(),
  event_id: text,
  user_id: text,
  profile_id: v.optional(text),
  content_id: text,
  timestamp: v.pipe(v.string(), v.isoTimestamp()),
  received_at: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  position_sec: v.optional(v.number()),
  session_id: v.optional(text),
  device_id: v.optional(text),
});

/** The channel of one viewer's devices (a user's profiles do not share playback). */
export function syncChannel(viewer: Viewer): string {
  return `device-sync:${viewer.userId}:${viewer.profileId}`;
}

export interface ChannelMessage {
  channel: string;
  message: JsonObject;
}

/**
 * The state messages of accepted records: one per viewer and session (or device), the newest by
 * event time (the later one in the batch at the same instant), since a batch holds seconds of one
 * player's events and only its newest state matters to the other devices. Records of other types
 * or without a user give none.
 */
export function playbackStateMessages(records: readonly JsonObject[]): ChannelMessage[] {
  const latest = new Map<string, ChannelMessage & { eventTime: number }>();
  for (const record of records) {
    const parsed = v.safeParse(SyncSource, record);
    if (!parsed.success) continue;
    const state = STATE_OF[parsed.output.type];
    if (!state) continue;
    const source = parsed.output;
    const channel = syncChannel({
      userId: source.user_id,
      profileId: source.profile_id ?? DEFAULT_PROFILE,
    });
    const eventTime = eventTimeOf(source.timestamp, source.received_at);
    const sender = `${channel}\n${source.session_id ?? source.device_id ?? source.content_id}`;
    const previous = latest.get(sender);
    if (previous && previous.eventTime > eventTime) continue;
    const message: JsonObject = {
      type: PLAYBACK_STATE_MESSAGE,
      action: source.type,
      state,
      content_id: source.content_id,
      event_id: source.event_id,
      event_time: new Date(eventTime).toISOString(),
    };
    if (source.position_sec !== undefined) message.position_sec = source.position_sec;
    if (source.session_id !== undefined) message.session_id = source.session_id;
    if (source.device_id !== undefined) message.device_id = source.device_id;
    latest.set(sender, { channel, message, eventTime });
  }
  return [...latest.values()].map(({ channel, message }) => ({ channel, message }));
}
