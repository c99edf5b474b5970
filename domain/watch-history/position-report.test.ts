import assert from "node:assert/strict";
import * as v from "valibot";
import { positionRecord, PositionReport } from "./position-report.ts";

const viewer = { userId: "u1", profileId: "kids" };
const RECEIVED = Date.parse("2026-11-21T12:00:00.000Z");
const context = { viewer, contentId: "c1", eventId: "e1", receivedAtMs: RECEIVED };
const parse = (body: unknown) => v.parse(PositionReport, body);
const issues = (body: unknown) => {
  const result = v.safeParse(PositionReport, body);
  return result.success ? [] : result.issues.map((issue) => v.getDotPath(issue));
};

Deno.test("a position becomes a record keyed by its session, stamped with the client's time", () => {
  const report = parse({
    position_sec: 1_440,
    duration_sec: 3_600,
    client_time: "2026-11-21T11:59:00.000Z",
    session_id: "s1",
    device_id: "tv-1",
  });
  assert.deepEqual(positionRecord(report, context), {
    key: "s1",
    value: {
      type: "position",
      event_id: "e1",
      user_id: "u1",
      profile_id: "kids",
      content_id: "c1",
      position_sec: 1_440,
      duration_sec: 3_600,
      timestamp: "2026-11-21T11:59:00.000Z",
      client_timestamp: "2026-11-21T11:59:00.000Z",
      received_at: "2026-11-21T12:00:00.000Z",
      session_id: "s1",
      device_id: "tv-1",
    },
  });
});

Deno.test("without a session the key is the viewer and item; a time ahead of the server is now", () => {
  const report = parse({ position_sec: 10, client_time: RECEIVED + 60_000 });
  const { key, value } = positionRecord(report, context);
  assert.equal(key, "position:u1:kids:c1");
  assert.equal(value.timestamp, "2026-11-21T12:00:00.000Z");
  assert.equal(value.client_timestamp, "2026-11-21T12:01:00.000Z");
  assert.equal("session_id" in value, false);
});

Deno.test("bad reports are refused field by field", () => {
  assert.deepEqual(issues({ client_time: RECEIVED }), ["position_sec"]);
  assert.deepEqual(issues({ position_sec: -1, client_time: RECEIVED }), ["position_sec"]);
  assert.deepEqual(issues({ position_sec: 1 }), ["client_time"]);
  assert.deepEqual(issues({ position_sec: 1, client_time: "soon" }), ["client_time"]);
  assert.deepEqual(issues({ position_sec: 1, client_time: 1.5 }), ["client_time"]);
  assert.deepEqual(
    issues({ position_sec: 100, duration_sec: 50, client_time: RECEIVED }),
    ["position_sec"],
  );
  assert.deepEqual(issues({ position_sec: 1, client_time: RECEIVED, colour: "red" }), ["colour"]);
  assert.deepEqual(issues({ position_sec: 1, client_time: RECEIVED, session_id: "" }), [
    "session_id",
  ]);
});
