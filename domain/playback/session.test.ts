import assert from "node:assert/strict";
import type { JsonObject } from "../ports/event-store.ts";
import { foldSession, sessionStatus, type SessionSummary } from "./session.ts";

const start = Date.parse("2026-11-21T12:00:00Z");
const event = (seq: number, type: string, extra: JsonObject = {}): JsonObject => ({
  session_id: "s1",
  content_id: "c1",
  user_id: "u1",
  type,
  seq,
  timestamp: new Date(start + seq * 10_000).toISOString(),
  ...extra,
});
const fold = (events: JsonObject[]) =>
  events.reduce<SessionSummary | undefined>((summary, e) => foldSession(summary, e), undefined)!;

const history = [
  event(0, "play"),
  event(1, "first_frame", { startup_ms: 800 }),
  event(2, "heartbeat", { position_sec: 20, played_ms: 19_000 }),
  event(3, "heartbeat", { position_sec: 30, played_ms: 29_000, rebuffer_ms: 500, stalls: 1 }),
];

Deno.test("a session folds its events; repeats and reordering change nothing", () => {
  const summary = fold(history);
  assert.equal(summary.played_ms, 29_000);
  assert.equal(summary.position_sec, 30);
  assert.equal(summary.first_frame_at, "2026-11-21T12:00:10.000Z");
  assert.deepEqual(fold([...history, ...history]), summary);
  assert.deepEqual(fold([history[0]!, history[3]!, history[2]!, history[1]!]), summary);
});

Deno.test("a silent session is dropped after three heartbeats; credited time stops at its last event", () => {
  const summary = fold(history);
  const last = Date.parse(summary.last_event_at);
  assert.equal(sessionStatus(summary, last + 29_000, 10), "playing");
  assert.equal(sessionStatus(summary, last + 31_000, 10), "dropped");
  assert.equal(summary.played_ms, 29_000);
});

Deno.test("stop and ended end a session; a fatal error fails it; a non-fatal one does not", () => {
  assert.equal(sessionStatus(fold([...history, event(4, "stop")]), start, 10), "ended");
  assert.equal(sessionStatus(fold([...history, event(4, "ended")]), start, 10), "ended");
  const failed = fold([
    ...history,
    event(4, "error", { fatal: true, error_code: "MEDIA_ERR_DECODE" }),
  ]);
  assert.equal(sessionStatus(failed, start, 10), "failed");
  assert.equal(failed.error_code, "MEDIA_ERR_DECODE");
  const recovered = fold([...history, event(4, "error", { fatal: false, error_code: "NETWORK" })]);
  assert.equal(recovered.ended_by, null);
});
