/**
 * The ground truth of a simulation, worked out from the sessions as planned (each event once, in
 * order, late sessions beyond the allowed lateness left out of their windows) rather than from
 * the delivered stream, for comparing with the QoE projection's figures.
 */
import { DEFAULT_VIEW_RULE } from "../../domain/analytics/view-rule.ts";
import type { SimulatedEvent, SimulatedSession } from "./sessions.ts";

export interface WindowTruth {
  plays: number;
  video_starts: number;
  startup_ms: number[];
  exits_before_start: number;
  failures: number;
  error_sessions: number;
  completions: number;
  played_ms: number;
  rebuffers: number;
  rebuffer_ms: number;
  dropped_frames: number;
  ended_sessions: number;
  late_dropped: number;
  viewers: Set<string>;
}

/** Per window start (epoch ms), for windows of `sizeSec` seconds. */
export function truthByWindow(
  sessions: readonly SimulatedSession[],
  sizeSec: number,
): Map<number, WindowTruth> {
  const windows = new Map<number, WindowTruth>();
  const at = (event: SimulatedEvent) => {
    const ms = Date.parse(event.timestamp);
    const start = ms - ms % (sizeSec * 1000);
    let window = windows.get(start);
    if (!window) windows.set(start, window = emptyTruth());
    return window;
  };
  for (const session of sessions) {
    if (session.lateness === "late_beyond") {
      for (const event of session.events) at(event).late_dropped++;
      continue;
    }
    tally(session, at);
  }
  return windows;
}

function tally(session: SimulatedSession, at: (event: SimulatedEvent) => WindowTruth) {
  const events = session.events;
  const firstFrame = events.findIndex((e) => e.type === "first_frame");
  const duration = Number(events[0]!.duration_sec);
  let played = 0;
  let dropped = 0;
  let errored = false;
  let completed = false;
  events.forEach((event, i) => {
    const window = at(event);
    if (event.type === "play") {
      window.plays++;
      window.viewers.add(`${session.user_id}/default`);
    }
    if (event.type === "first_frame") {
      window.video_starts++;
      window.startup_ms.push(Number(event.startup_ms));
    }
    const isRebuffer = event.type === "buffer_start" && firstFrame >= 0 && i > firstFrame &&
      events[i - 1]!.type !== "seek";
    if (isRebuffer) {
      window.rebuffers++;
      const end = events[i + 1]!;
      at(end).rebuffer_ms += Date.parse(end.timestamp) - Date.parse(event.timestamp);
    }
    if (event.type === "error" && !errored) {
      errored = true;
      window.error_sessions++;
    }
    if (event.type === "error" && event.fatal === true) window.failures++;
    if (typeof event.played_ms === "number" && event.played_ms > played) {
      window.played_ms += event.played_ms - played;
      played = event.played_ms;
    }
    if (typeof event.dropped_frames === "number" && event.dropped_frames > dropped) {
      window.dropped_frames += event.dropped_frames - dropped;
      dropped = event.dropped_frames;
    }
    if (!completed && firstFrame >= 0 && played > 700 * duration) {
      completed = true;
      window.completions++;
    }
    const ends = event.type === "stop" || event.type === "ended" ||
      (event.type === "error" && event.fatal === true);
    if (ends) {
      window.ended_sessions++;
      if (firstFrame < 0 && event.type === "stop") window.exits_before_start++;
    }
  });
}

function emptyTruth(): WindowTruth {
  return {
    plays: 0,
    video_starts: 0,
    startup_ms: [],
    exits_before_start: 0,
    failures: 0,
    error_sessions: 0,
    completions: 0,
    played_ms: 0,
    rebuffers: 0,
    rebuffer_ms: 0,
    dropped_frames: 0,
    ended_sessions: 0,
    late_dropped: 0,
    viewers: new Set(),
  };
}

/** The exact sample quantile DDSketch approximates: the value of rank q × (n - 1). */
export function exactQuantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** The truth of some sessions summed over all their windows. */
export function summarizeTruth(sessions: readonly SimulatedSession[]) {
  const windows = [...truthByWindow(sessions, 300).values()];
  const sum = (key: keyof Omit<WindowTruth, "startup_ms" | "viewers">) =>
    windows.reduce((total, window) => total + window[key], 0);
  const starts = windows.flatMap((window) => window.startup_ms);
  return {
    sessions: sessions.length,
    views: countViews(sessions),
    plays: sum("plays"),
    video_starts: sum("video_starts"),
    exits_before_video_start: sum("exits_before_start"),
    playback_failures: sum("failures"),
    error_sessions: sum("error_sessions"),
    completions: sum("completions"),
    rebuffers: sum("rebuffers"),
    rebuffer_ms: sum("rebuffer_ms"),
    played_ms: sum("played_ms"),
    dropped_frames: sum("dropped_frames"),
    late_dropped: sum("late_dropped"),
    video_start_time_ms: {
      p50: exactQuantile(starts, 0.5),
      p95: exactQuantile(starts, 0.95),
      p99: exactQuantile(starts, 0.99),
    },
  };
}

/**
 * Sessions the default view rule counts (first frame, then its played time), late ones included:
 * views have no watermark. Compare with GET /v1/analytics/top?window=all.
 */
function countViews(sessions: readonly SimulatedSession[]): number {
  const minPlayedMs = DEFAULT_VIEW_RULE.minPlayedSec * 1000;
  return sessions.filter((session) =>
    session.events.some((event) => event.type === "first_frame") &&
    session.events.some((event) => Number(event.played_ms ?? 0) >= minPlayedMs)
  ).length;
}
