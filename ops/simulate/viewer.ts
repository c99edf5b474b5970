/**
 * One simulated viewer as a pure state machine: each `advance` says which telemetry events the
 * player sends now and when it wakes next, so a driver can run thousands of viewers on timers and
 * tests can run them on a made-up clock with a seeded random.
 */
import { type SimulatedEvent, uuidFrom } from "./sessions.ts";

/** Chances per session (before the first frame) and per heartbeat (while playing). */
export interface ViewerChances {
  exitBeforeStart: number;
  failBeforeStart: number;
  stall: number;
  seek: number;
  pause: number;
  fail: number;
  stop: number;
}

export const DEFAULT_CHANCES: ViewerChances = {
  exitBeforeStart: 0.05,
  failBeforeStart: 0.02,
  stall: 0.05,
  seek: 0.03,
  pause: 0.02,
  fail: 0.002,
  stop: 0.01,
};

export interface ViewerPlan {
  session_id: string;
  content_id: string;
  user_id: string;
  duration_sec: number;
  country: string;
  cdn_pop: string;
  device_type: string;
  heartbeatMs: number;
  chances: ViewerChances;
}

type Phase = "new" | "starting" | "playing" | "paused" | "stalled" | "seeking" | "done";
type StartOutcome = "first_frame" | "exit" | "fail";

export interface Viewer {
  readonly plan: ViewerPlan;
  phase: Phase;
  seq: number;
  /** When the viewer last advanced (epoch ms). */
  lastMs: number;
  startOutcome?: StartOutcome;
  startupMs: number;
  /** Cumulative counters, as players report them. */
  playedMs: number;
  rebufferMs: number;
  stalls: number;
  droppedFrames: number;
  positionSec: number;
  bitrateKbps: number;
}

export interface Step {
  events: SimulatedEvent[];
  /** Milliseconds until the next `advance`; null once the session has ended. */
  wakeInMs: number | null;
}

const BITRATES = [1_500, 3_000, 5_000, 8_000];

export function newViewer(plan: ViewerPlan): Viewer {
  return {
    plan,
    phase: "new",
    seq: 0,
    lastMs: 0,
    startupMs: 0,
    playedMs: 0,
    rebufferMs: 0,
    stalls: 0,
    droppedFrames: 0,
    positionSec: 0,
    bitrateKbps: BITRATES[0]!,
  };
}

export function isDone(viewer: Viewer): boolean {
  return viewer.phase === "done";
}

/** Moves the viewer on at `nowMs` (epoch ms): the events to send and when to come back. */
export function advance(viewer: Viewer, nowMs: number, random: () => number): Step {
  const between = (low: number, high: number) => Math.round(low + random() * (high - low));
  const elapsed = viewer.phase === "new" ? 0 : Math.max(0, nowMs - viewer.lastMs);
  viewer.lastMs = nowMs;
  const { plan } = viewer;
  const emit = eventWriter(viewer, nowMs, random);
  switch (viewer.phase) {
    case "new": {
      const roll = random();
      viewer.startOutcome = roll < plan.chances.exitBeforeStart
        ? "exit"
        : roll < plan.chances.exitBeforeStart + plan.chances.failBeforeStart
        ? "fail"
        : "first_frame";
      viewer.startupMs = Math.round(300 + 4_000 * random() ** 3);
      viewer.bitrateKbps = BITRATES[Math.floor(random() * BITRATES.length)]!;
      viewer.phase = "starting";
      return {
        events: [emit("play", { duration_sec: plan.duration_sec })],
        wakeInMs: viewer.startupMs,
      };
    }
    case "starting":
      if (viewer.startOutcome === "exit") return end(viewer, [emit("stop", { played_ms: 0 })]);
      if (viewer.startOutcome === "fail") {
        return end(viewer, [emit("error", { fatal: true, error_code: "MANIFEST_404" })]);
      }
      viewer.phase = "playing";
      return {
        events: [emit("first_frame", { startup_ms: viewer.startupMs })],
        wakeInMs: plan.heartbeatMs,
      };
    case "stalled":
    case "seeking":
      if (viewer.phase === "stalled") {
        viewer.rebufferMs += elapsed;
        viewer.stalls++;
      }
      viewer.phase = "playing";
      return { events: [emit("buffer_end", counters(viewer))], wakeInMs: plan.heartbeatMs };
    case "paused":
      viewer.phase = "playing";
      return { events: [emit("resume", counters(viewer))], wakeInMs: plan.heartbeatMs };
    case "playing":
      return playing(viewer, elapsed, emit, random, between);
    case "done":
      return { events: [], wakeInMs: null };
  }
}

type Emit = (type: string, fields?: Record<string, string | number | boolean>) => SimulatedEvent;

/** A heartbeat's worth of playing, then what the viewer does next. */
function playing(
  viewer: Viewer,
  elapsed: number,
  emit: Emit,
  random: () => number,
  between: (low: number, high: number) => number,
): Step {
  const { plan } = viewer;
  const durationMs = plan.duration_sec * 1000;
  const step = Math.min(elapsed, durationMs - viewer.positionSec * 1000);
  viewer.playedMs += Math.max(0, step);
  viewer.positionSec = Math.min(plan.duration_sec, viewer.positionSec + step / 1000);
  if (random() < 0.3) viewer.droppedFrames += between(0, 20);
  if (viewer.positionSec >= plan.duration_sec) {
    return end(viewer, [emit("ended", counters(viewer))]);
  }
  const { fail, stop, stall, seek, pause } = plan.chances;
  const roll = random();
  if (roll < fail) {
    return end(viewer, [
      emit("error", { fatal: true, error_code: "DECODE_ERROR", ...counters(viewer) }),
    ]);
  }
  if (roll < fail + stop) return end(viewer, [emit("stop", counters(viewer))]);
  const heartbeat = emit("heartbeat", counters(viewer));
  if (roll < fail + stop + stall) {
    viewer.phase = "stalled";
    return {
      events: [heartbeat, emit("buffer_start", { position_sec: viewer.positionSec })],
      wakeInMs: between(200, 4_000),
    };
  }
  if (roll < fail + stop + stall + seek) {
    const from = viewer.positionSec;
    viewer.positionSec = Math.min(plan.duration_sec - 1, from + between(10, 120));
    viewer.phase = "seeking";
    return {
      events: [
        heartbeat,
        emit("seek", { seek_from_sec: from, position_sec: viewer.positionSec }),
        emit("buffer_start", { position_sec: viewer.positionSec }),
      ],
      wakeInMs: between(100, 1_500),
    };
  }
  if (roll < fail + stop + stall + seek + pause) {
    viewer.phase = "paused";
    // Shorter than three heartbeats, so the service does not take the session for dropped.
    return {
      events: [heartbeat, emit("pause", { position_sec: viewer.positionSec })],
      wakeInMs: between(1_000, 2 * plan.heartbeatMs),
    };
  }
  return { events: [heartbeat], wakeInMs: plan.heartbeatMs };
}

function end(viewer: Viewer, events: SimulatedEvent[]): Step {
  viewer.phase = "done";
  return { events, wakeInMs: null };
}

function counters(viewer: Viewer) {
  return {
    played_ms: viewer.playedMs,
    rebuffer_ms: viewer.rebufferMs,
    stalls: viewer.stalls,
    dropped_frames: viewer.droppedFrames,
    position_sec: Math.round(viewer.positionSec * 1000) / 1000,
    bitrate_kbps: viewer.bitrateKbps,
  };
}

function eventWriter(viewer: Viewer, nowMs: number, random: () => number): Emit {
  const { plan } = viewer;
  return (type, fields = {}) => ({
    event_id: uuidFrom(random),
    type,
    session_id: plan.session_id,
    seq: viewer.seq++,
    content_id: plan.content_id,
    timestamp: new Date(nowMs).toISOString(),
    user_id: plan.user_id,
    country: plan.country,
    cdn_pop: plan.cdn_pop,
    device_type: plan.device_type,
    ...fields,
  });
}
