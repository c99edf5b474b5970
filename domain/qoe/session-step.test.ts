import assert from "node:assert/strict";
import type { JsonObject } from "../ports/event-store.ts";
import { isRepeat, newSession, type QoeDelta, qoeEventOf, stepSession } from "./session-step.ts";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

/** Steps a session through `events` (seq in order) and sums what they contributed. */
function run(events: [string, number, JsonObject?][]) {
  let session;
  const total: Record<string, number> = {};
  const vst: number[] = [];
  events.forEach(([type, offsetMs, extra = {}], seq) => {
    const event = qoeEventOf({
      session_id: "s1",
      content_id: "c1",
      type,
      seq,
      timestamp: new Date(T0 + offsetMs).toISOString(),
      ...extra,
    })!;
    session ??= newSession(event);
    if (isRepeat(session, event)) return;
    let delta: QoeDelta;
    [session, delta] = stepSession(session, event);
    if (delta.vst_ms !== null) vst.push(delta.vst_ms);
    for (const [key, value] of Object.entries(delta)) {
      if (key !== "vst_ms") total[key] = (total[key] ?? 0) + (value as number);
    }
  });
  return { total, vst };
}

Deno.test("startup and seek stalls are not rebuffering; a stall after the first frame is", () => {
  const { total, vst } = run([
    ["play", 0, { duration_sec: 100 }],
    ["buffer_start", 200],
    ["first_frame", 900],
    ["seek", 5_000],
    ["buffer_start", 5_100],
    ["buffer_end", 5_600],
    ["buffer_start", 9_000],
    ["buffer_end", 10_500],
    ["heartbeat", 12_000, { played_ms: 10_000 }],
  ]);
  assert.deepEqual(vst, [900], "start time from play to first frame when startup_ms is absent");
  assert.equal(total.rebuffers, 1);
  assert.equal(total.rebuffer_ms, 1_500);
  assert.equal(total.played_ms, 10_000);
});

Deno.test("cumulative counters count their increase once; completion past 70 % of the duration", () => {
  const { total } = run([
    ["play", 0, { duration_sec: 100 }],
    ["first_frame", 500, { startup_ms: 500 }],
    ["heartbeat", 30_000, { played_ms: 30_000, dropped_frames: 4, bitrate_kbps: 3_000 }],
    ["heartbeat", 20_000, { played_ms: 20_000, dropped_frames: 2 }], // an older report
    ["heartbeat", 71_000, { played_ms: 70_000, dropped_frames: 9 }],
    ["heartbeat", 72_000, { played_ms: 71_000 }],
    ["stop", 73_000, { played_ms: 71_000 }],
  ]);
  assert.equal(total.played_ms, 71_000);
  assert.equal(total.dropped_frames, 9);
  assert.equal(total.bitrate_kbps_ms, 3_000 * 71_000);
  assert.equal(total.completions, 1);
  assert.equal(total.ended_sessions, 1);
  assert.equal(total.session_ms, 73_000);
});

Deno.test("an exit before start has no first frame and no error; a fatal error is a failure", () => {
  assert.equal(run([["play", 0], ["stop", 3_000]]).total.exits_before_start, 1);
  const failed = run([["play", 0], ["error", 100, { fatal: false }], ["error", 900, {
    fatal: true,
  }]]);
  assert.deepEqual(
    [failed.total.exits_before_start, failed.total.error_sessions, failed.total.failures],
    [0, 1, 1],
  );
});

Deno.test("a repeated seq contributes nothing", () => {
  const play = qoeEventOf({
    session_id: "s1",
    content_id: "c1",
    type: "play",
    seq: 0,
    timestamp: new Date(T0).toISOString(),
  })!;
  const [after] = stepSession(newSession(play), play);
  assert.ok(isRepeat(after, play));
  assert.equal(qoeEventOf({ type: "play" }), undefined, "not a playback event");
});
