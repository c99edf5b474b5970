import assert from "node:assert/strict";
import { seededRandom } from "./sessions.ts";
import { truthByWindow } from "./truth.ts";
import { advance, DEFAULT_CHANCES, newViewer, type ViewerChances } from "./viewer.ts";
import type { SimulatedEvent } from "./sessions.ts";

const NONE: ViewerChances = {
  exitBeforeStart: 0,
  failBeforeStart: 0,
  stall: 0,
  seek: 0,
  pause: 0,
  fail: 0,
  stop: 0,
};

function plan(chances: ViewerChances, session = "s-1") {
  return {
    session_id: session,
    content_id: "movie-1",
    user_id: "u-1",
    duration_sec: 600,
    country: "PT",
    cdn_pop: "lis1",
    device_type: "tv",
    heartbeatMs: 10_000,
    chances,
  };
}

/** Runs a viewer on a made-up clock until it ends (or `maxSteps`), returning its events. */
function play(chances: ViewerChances, seed: number, maxSteps = 1_000, session?: string) {
  const random = seededRandom(seed);
  const viewer = newViewer(plan(chances, session));
  let now = Date.UTC(2026, 0, 1);
  const events: SimulatedEvent[] = [];
  for (let i = 0; i < maxSteps; i++) {
    const step = advance(viewer, now, random);
    events.push(...step.events);
    if (step.wakeInMs === null) break;
    now += step.wakeInMs;
  }
  return { viewer, events };
}

Deno.test("a viewer that never stalls plays to the end with growing cumulative counters", () => {
  const { viewer, events } = play(NONE, 1);
  const types = events.map((e) => e.type);
  assert.deepEqual(types.slice(0, 2), ["play", "first_frame"]);
  assert.equal(types.at(-1), "ended");
  assert.ok(types.slice(2, -1).every((type) => type === "heartbeat"));
  assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i));
  const played = events.filter((e) => e.type === "heartbeat").map((e) => Number(e.played_ms));
  assert.deepEqual(played, [...played].sort((a, b) => a - b));
  assert.equal(viewer.playedMs, 600_000);
  assert.equal(viewer.phase, "done");
});

Deno.test("a stall is a buffer_start answered by a buffer_end that counts the rebuffering", () => {
  const { events } = play({ ...NONE, stall: 1 }, 2, 4);
  assert.deepEqual(events.map((e) => e.type), [
    "play",
    "first_frame",
    "heartbeat",
    "buffer_start",
    "buffer_end",
  ]);
  const waited = Date.parse(events[4]!.timestamp) - Date.parse(events[3]!.timestamp);
  assert.equal(events[4]!.rebuffer_ms, waited);
  assert.equal(events[4]!.stalls, 1);
});

Deno.test("a seek's buffering is not rebuffering; a pause is followed by a resume", () => {
  const seek = play({ ...NONE, seek: 1 }, 3, 4).events;
  assert.deepEqual(seek.slice(2).map((e) => e.type), [
    "heartbeat",
    "seek",
    "buffer_start",
    "buffer_end",
  ]);
  assert.equal(seek[5]!.rebuffer_ms, 0);
  const pause = play({ ...NONE, pause: 1 }, 3, 4).events;
  assert.deepEqual(pause.slice(2).map((e) => e.type), ["heartbeat", "pause", "resume"]);
});

Deno.test("exits and failures before the first frame end the session there", () => {
  const exit = play({ ...NONE, exitBeforeStart: 1 }, 4).events;
  assert.deepEqual(exit.map((e) => [e.type, e.played_ms]), [["play", undefined], ["stop", 0]]);
  const failed = play({ ...NONE, failBeforeStart: 1 }, 4).events;
  assert.deepEqual(failed.map((e) => [e.type, e.fatal]), [["play", undefined], ["error", true]]);
});

Deno.test("outcomes follow their chances: 2,000 seeded viewers", () => {
  const chances = { ...DEFAULT_CHANCES, exitBeforeStart: 0.1, failBeforeStart: 0.05, stop: 0.05 };
  const sessions = Array.from({ length: 2_000 }, (_, i) => play(chances, 100 + i, 1_000, `s-${i}`));
  const share = (test: (types: string[]) => boolean) =>
    sessions.filter(({ events }) => test(events.map((e) => e.type))).length / sessions.length;
  const exits = share((t) => t.length === 2 && t[1] === "stop");
  const startFailures = share((t) => t.length === 2 && t[1] === "error");
  assert.ok(Math.abs(exits - 0.1) < 0.02, `exits ${exits}`);
  assert.ok(Math.abs(startFailures - 0.05) < 0.015, `start failures ${startFailures}`);
  // With stop 5 % per heartbeat, about one started session in (1 - 0.95^heartbeats) stops early.
  const stopped = share((t) => t.length > 2 && t.at(-1) === "stop");
  assert.ok(stopped > 0.5, `stopped ${stopped}`);
});

Deno.test("the truth reads simulated viewers' sessions: every rebuffer has its end", () => {
  const random = seededRandom(9);
  const sessions = Array.from({ length: 200 }, (_, i) => {
    const { events } = play({ ...DEFAULT_CHANCES, stall: 0.2 }, 1_000 + i, 1_000, `t-${i}`);
    return {
      session_id: `t-${i}`,
      content_id: "movie-1",
      user_id: `u-${Math.floor(random() * 50)}`,
      country: "PT",
      cdn_pop: "lis1",
      device_type: "tv",
      lateness: "on_time" as const,
      events,
    };
  });
  const windows = [...truthByWindow(sessions, 300).values()];
  const stalls = sessions.flatMap((s) => s.events).filter((e) =>
    e.type === "buffer_end" && e.stalls
  );
  const rebuffers = windows.reduce((n, w) => n + w.rebuffers, 0);
  const lastStalls = sessions.map((s) =>
    Number(s.events.findLast((e) => e.stalls !== undefined)?.stalls ?? 0)
  );
  assert.equal(rebuffers, lastStalls.reduce((a, b) => a + b, 0));
  assert.ok(stalls.length > 0);
});
