import assert from "node:assert/strict";
import { eventTimeOf, watchEntryOf } from "./from-telemetry.ts";

const heartbeat = {
  type: "heartbeat",
  event_id: "e1",
  user_id: "u1",
  content_id: "c1",
  session_id: "s1",
  seq: 4,
  timestamp: "2026-11-21T12:00:00.000Z",
  received_at: "2026-11-21T12:00:01.000Z",
  position_sec: 40,
  duration_sec: 3_600,
};
const AT = Date.parse(heartbeat.timestamp);

Deno.test("a heartbeat with a position moves the position; the profile defaults", () => {
  assert.deepEqual(watchEntryOf(heartbeat), {
    userId: "u1",
    profileId: "default",
    contentId: "c1",
    position: { positionSec: 40, atMs: AT, sessionId: "s1" },
    durationSec: 3_600,
    furthestSec: 40,
    lastWatchedAtMs: AT,
  });
  for (const type of ["progress", "pause", "resume", "seek", "stop", "position"]) {
    assert.ok(watchEntryOf({ ...heartbeat, type })?.position, type);
  }
  assert.equal(watchEntryOf({ ...heartbeat, type: "seek" })?.furthestSec, undefined);
});

Deno.test("ended marks the end, with or without a position", () => {
  const { position_sec: _, ...withoutPosition } = heartbeat;
  assert.deepEqual(watchEntryOf({ ...withoutPosition, type: "ended", profile_id: "kids" }), {
    userId: "u1",
    profileId: "kids",
    contentId: "c1",
    durationSec: 3_600,
    endedAtMs: AT,
    lastWatchedAtMs: AT,
  });
  assert.equal(watchEntryOf({ ...heartbeat, type: "ended" })?.endedAtMs, AT);
});

Deno.test("records that say nothing about a viewer's position are ignored", () => {
  const { position_sec: _, ...withoutPosition } = heartbeat;
  const { user_id: __, ...anonymous } = heartbeat;
  for (
    const record of [
      withoutPosition,
      anonymous,
      { ...heartbeat, type: "play" },
      { ...heartbeat, type: "first_frame" },
      { ...heartbeat, type: "bitrate_change" },
      { ...heartbeat, timestamp: "yesterday" },
      { ...heartbeat, position_sec: -1 },
      { seq: 1 },
    ]
  ) {
    assert.equal(watchEntryOf(record), undefined, JSON.stringify(record));
  }
});

Deno.test("an event time is never later than the record's arrival (a fast clock cannot pin it)", () => {
  const late = "2026-11-21T13:00:00.000Z";
  assert.equal(eventTimeOf(late, heartbeat.received_at), Date.parse(heartbeat.received_at));
  assert.equal(eventTimeOf(heartbeat.timestamp, heartbeat.received_at), AT);
  assert.equal(eventTimeOf(heartbeat.timestamp, undefined), AT);
});
