/**
 * Deterministic playback sessions with a known ground truth: starts, startup/seek/rebuffering
 * stalls, non-fatal and fatal errors, exits before start, completions, silent drop-outs, and a
 * delivery order with late sessions (within and beyond the allowed lateness) and repeated events.
 * The same seed gives the same sessions, so tests and the CLI can compare figures with the truth.
 */

export interface SimulatedEvent {
  event_id: string;
  type: string;
  session_id: string;
  seq: number;
  content_id: string;
  timestamp: string;
  [field: string]: string | number | boolean;
}

export type Lateness = "on_time" | "late_within" | "late_beyond";

export interface SimulatedSession {
  session_id: string;
  content_id: string;
  user_id: string;
  country: string;
  cdn_pop: string;
  device_type: string;
  lateness: Lateness;
  /** The session's events in order, each once. */
  events: SimulatedEvent[];
}

export interface Simulation {
  sessions: SimulatedSession[];
  /** Every event as delivered: in arrival order, late sessions later, some events twice. */
  deliveries: SimulatedEvent[];
}

export interface SimulationOptions {
  seed: number;
  sessions: number;
  /** Epoch ms of the first play. */
  startMs: number;
  /** Plays start within this many seconds. */
  spanSec: number;
  allowedLatenessSec: number;
  contents?: number;
  heartbeatSec?: number;
}

const COUNTRIES = ["BR", "PT", "US", "DE"];
const POPS = ["gru1", "lis1", "iad1", "fra1"];
const DEVICES = ["mobile", "desktop", "tv", "tablet"];

/** A version-4-shaped UUID drawn from `random`, so ids repeat with the seed. */
export function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${
    hex.slice(20)
  }`;
}

/** A small seeded generator (mulberry32): the same seed, the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function simulateSessions(options: SimulationOptions): Simulation {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const between = (low: number, high: number) => Math.round(low + random() * (high - low));
  const contents = Array.from({ length: options.contents ?? 8 }, (_, i) => `sim-content-${i}`);
  const sessions: SimulatedSession[] = [];
  const arrivals: { at: number; order: number; event: SimulatedEvent }[] = [];
  let order = 0;
  for (let i = 0; i < options.sessions; i++) {
    // Late sessions start early, so on-time traffic is still flowing when they arrive.
    const startOffset = random() * options.spanSec;
    const lateness: Lateness = startOffset < options.spanSec / 3
      ? (random() < 0.1 ? "late_beyond" : random() < 0.1 ? "late_within" : "on_time")
      : "on_time";
    const session = plan({
      random,
      pick,
      between,
      id: `sim-${options.seed}-${i}`,
      content_id: pick(contents),
      user_id: `sim-user-${between(0, Math.max(1, Math.floor(options.sessions / 2)))}`,
      startMs: Math.round(options.startMs + startOffset * 1000),
      heartbeatMs: (options.heartbeatSec ?? 10) * 1000,
      lateness,
    });
    sessions.push(session);
    const delayMs = lateness === "late_within"
      ? between(1, options.allowedLatenessSec / 2) * 1000
      : lateness === "late_beyond"
      ? (300 + options.allowedLatenessSec + 120) * 1000
      : 0;
    for (const event of session.events) {
      const at = Date.parse(event.timestamp) + delayMs;
      arrivals.push({ at, order: order++, event });
      if (random() < 0.03) arrivals.push({ at: at + between(0, 20_000), order: order++, event });
    }
  }
  arrivals.sort((a, b) => a.at - b.at || a.order - b.order);
  return { sessions, deliveries: arrivals.map((arrival) => arrival.event) };
}

interface PlanInput {
  random: () => number;
  pick: <T>(items: readonly T[]) => T;
  between: (low: number, high: number) => number;
  id: string;
  content_id: string;
  user_id: string;
  startMs: number;
  heartbeatMs: number;
  lateness: Lateness;
}

/** One session's events: a play, then one of the outcomes below. */
function plan(input: PlanInput): SimulatedSession {
  const { random, pick, between } = input;
  const session: SimulatedSession = {
    session_id: input.id,
    content_id: input.content_id,
    user_id: input.user_id,
    country: pick(COUNTRIES),
    cdn_pop: pick(POPS),
    device_type: pick(DEVICES),
    lateness: input.lateness,
    events: [],
  };
  let now = input.startMs;
  const emit = (type: string, fields: Record<string, string | number | boolean> = {}) =>
    session.events.push({
      event_id: uuidFrom(random),
      type,
      session_id: session.session_id,
      seq: session.events.length,
      content_id: session.content_id,
      timestamp: new Date(now).toISOString(),
      user_id: session.user_id,
      country: session.country,
      cdn_pop: session.cdn_pop,
      device_type: session.device_type,
      ...fields,
    });
  const durationSec = between(120, 600);
  emit("play", { duration_sec: durationSec });
  const outcome = random();
  if (outcome < 0.06) { // exit before video start
    now += between(500, 4_000);
    emit("stop", { played_ms: 0 });
    return session;
  }
  if (outcome < 0.09) { // fatal error before the first frame
    now += between(300, 3_000);
    emit("error", { fatal: true, error_code: "MANIFEST_404" });
    return session;
  }
  const startupMs = Math.round(300 + 4_000 * random() ** 3);
  if (random() < 0.2) { // a startup stall: part of the start time, not rebuffering
    now += Math.round(startupMs / 2);
    emit("buffer_start");
  }
  now = input.startMs + startupMs;
  emit("first_frame", { startup_ms: startupMs });
  const watchMs = Math.round(durationSec * 1000 * (0.05 + 0.95 * random()));
  const fatalAtMs = outcome < 0.12 ? Math.round(watchMs * random()) : Infinity;
  const silent = random() < 0.08;
  let played = 0;
  let dropped = 0;
  let bitrate = pick([1_500, 3_000, 5_000, 8_000]);
  while (played < Math.min(watchMs, fatalAtMs)) {
    const step = Math.min(input.heartbeatMs, watchMs - played);
    now += step;
    played += step;
    if (random() < 0.05) {
      const stall = between(200, 4_000);
      emit("buffer_start", { position_sec: played / 1000 });
      now += stall;
      emit("buffer_end", { position_sec: played / 1000 });
    }
    if (random() < 0.03) {
      emit("seek", { seek_from_sec: played / 1000, position_sec: played / 1000 + 30 });
      emit("buffer_start");
      now += between(100, 1_500);
      emit("buffer_end");
    }
    if (random() < 0.02) emit("error", { fatal: false, error_code: "SEGMENT_RETRY" });
    if (random() < 0.1) bitrate = pick([1_500, 3_000, 5_000, 8_000]);
    dropped += random() < 0.3 ? between(0, 20) : 0;
    emit("heartbeat", {
      played_ms: played,
      position_sec: played / 1000,
      bitrate_kbps: bitrate,
      dropped_frames: dropped,
    });
  }
  if (fatalAtMs !== Infinity) {
    now += 500;
    emit("error", { fatal: true, error_code: "DECODE_ERROR", played_ms: played });
  } else if (!silent) {
    now += 500;
    emit(watchMs >= durationSec * 1000 ? "ended" : "stop", { played_ms: played });
  }
  return session;
}
