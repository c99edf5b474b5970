import assert from "node:assert/strict";
import { PLAYBACK_STATE_MESSAGE, playbackStateMessages, syncChannel } from "./playback-state.ts";

const record = (fields: Record<string, string | number>) => ({
  event_id: crypto.randomUUID(),
  user_id: "u1",
  profile_id: "kids",
  content_id: "ep-1",
  session_id: "s1",
  timestamp: "2026-01-01T10:00:00.000Z",
  received_at: "2026-01-01T10:00:01.000Z",
  ...fields,
});

Deno.test("a pause becomes a paused state on the viewer's channel", () => {
  const pause = record({ type: "pause", position_sec: 42, device_id: "tv" });
  assert.deepEqual(playbackStateMessages([pause]), [{
    channel: syncChannel({ userId: "u1", profileId: "kids" }),
    message: {
      type: PLAYBACK_STATE_MESSAGE,
      action: "pause",
      state: "paused",
      content_id: "ep-1",
      event_id: pause.event_id,
      event_time: "2026-01-01T10:00:00.000Z",
      position_sec: 42,
      session_id: "s1",
      device_id: "tv",
    },
  }]);
});

Deno.test("each type maps to its state; others and anonymous records give none", () => {
  const states = ["play", "resume", "heartbeat", "seek", "pause", "position", "stop", "ended"]
    .map((type, i) => playbackStateMessages([record({ type, session_id: `s${i}` })])[0]?.message);
  assert.deepEqual(states.map((m) => m?.state), [
    "playing",
    "playing",
    "playing",
    "playing",
    "paused",
    "paused",
    "stopped",
    "stopped",
  ]);
  assert.deepEqual(playbackStateMessages([record({ type: "buffer_start" })]), []);
  const { user_id: _, ...anonymous } = record({ type: "pause" });
  assert.deepEqual(playbackStateMessages([anonymous]), []);
});

Deno.test("a batch gives the newest state per session, whatever its order", () => {
  const newer = record({ type: "pause", position_sec: 20, timestamp: "2026-01-01T10:00:00.500Z" });
  const older = record({ type: "heartbeat", position_sec: 10 });
  const other = record({ type: "play", session_id: "s2" });
  const messages = playbackStateMessages([newer, older, other]).map((m) => m.message);
  assert.deepEqual(messages.map((m) => [m.session_id, m.action]), [["s1", "pause"], [
    "s2",
    "play",
  ]]);
});

Deno.test("without a profile the default profile's channel is used", () => {
  const { profile_id: _, ...noProfile } = record({ type: "play" });
  assert.equal(playbackStateMessages([noProfile])[0]?.channel, "device-sync:u1:default");
});
