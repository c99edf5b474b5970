/**
 * Concurrent simulated viewers against a running service on this machine: each viewer plays
 * sessions one after another (play, first frame, heartbeats with cumulative counters, pauses,
 * seeks, stalls, failures, stops; see viewer.ts), optionally fetching a content's HLS playlists
 * and segments. Every viewer is a timer, not a loop, so one process holds 10,000 of them.
 *
 * Viewers keep their own clock, as players do: a heartbeat is due 10 s after the previous one was
 * due, however long that one's answer took. A viewer still waiting for an answer sends its next
 * request as soon as the answer comes (requests of one session stay in order), and how late each
 * request went out is measured, so a service that cannot keep up shows as send delay and as fewer
 * requests sent than due, never as a quietly slower load.
 */
import { playlistUris } from "./hls.ts";
import { type LoadFigures, LoadStats } from "./load-stats.ts";
import { seededRandom, type SimulatedEvent, type SimulatedSession } from "./sessions.ts";
import { advance, newViewer, type Viewer, type ViewerChances } from "./viewer.ts";

export interface PlayersConfig {
  /** The service, on 127.0.0.1 (or localhost) only. */
  url: string;
  viewers: number;
  durationSec: number;
  maxRequests: number;
  seed: number;
  heartbeatMs: number;
  /** Viewers start spread over this many seconds. */
  rampSec: number;
  chances: ViewerChances;
  /** Content ids sessions play (without HLS media unless `hlsContent`). */
  contents: readonly string[];
  /** A video with transcoded media: viewers fetch its playlists and a segment per heartbeat. */
  hlsContent?: string;
  /** With auth on: an admin's access token, to create `accounts` viewer accounts up front. */
  adminToken?: string;
  accounts: number;
  /** Requests in flight at once, across viewers. */
  concurrency: number;
  reportEverySec: number;
  onReport?: (figures: LoadFigures, activeViewers: number) => void;
}

export interface PlayersSummary {
  total: LoadFigures;
  /**
   * Event posts the viewers' clocks called for during the run, sent or not: at least this many (a
   * viewer behind its clock is counted one heartbeat per interval since its last due post).
   */
  posts_due: number;
  sessions_started: number;
  /** The sessions as the service acknowledged their events, for ops/simulate/truth.ts. */
  sessions: SimulatedSession[];
  /**
   * Stalls still open when the run stopped: left out of `sessions` (the truth needs each stall's
   * end), while the service has counted them as rebuffers already.
   */
  open_stalls: number;
}

interface Identity {
  userId: string;
  headers: Record<string, string>;
}

interface Slot {
  index: number;
  identity: Identity;
  random: () => number;
  viewer?: Viewer;
  sessions: number;
  segments: string[];
  nextSegment: number;
  /** When, by the viewer's clock, its next request is due (epoch ms). */
  dueAt: number;
  timer?: ReturnType<typeof setTimeout>;
}

const decoder = new TextDecoder();
const COUNTRIES = ["BR", "PT", "US", "DE", "GB", "IN"];
const POPS = ["gru1", "lis1", "iad1", "fra1", "lhr1", "bom1"];
const DEVICES = ["mobile", "desktop", "tv", "tablet"] as const;

/** Throws unless `url` names this machine: the simulator is a load test, never aimed elsewhere. */
export function assertLocalTarget(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) {
    throw new Error(`the simulator only targets 127.0.0.1, not ${host}`);
  }
}

export async function runPlayers(config: PlayersConfig): Promise<PlayersSummary> {
  assertLocalTarget(config.url);
  const stats = new LoadStats();
  const gate = new Gate(config.concurrency);
  const acknowledged = new Map<string, SimulatedSession>();
  const identities = await signIn(config);
  let stopping = false;
  let sessionsStarted = 0;
  let sent = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => finish = resolve);
  const stop = () => {
    if (stopping) return;
    stopping = true;
    finish();
  };

  /**
   * One timed request through the gate, recorded before the gate lets go (so a stopped run counts
   * every request it sent); undefined when the run is over or the network failed.
   */
  const request = async (
    route: string,
    url: string,
    init: RequestInit,
    /** Reads the answer before the gate lets go; returns the events it accepted. */
    onAnswer: (status: number, body: Uint8Array) => number = () => 0,
    /** When the viewer's clock wanted it sent (epoch ms), for the send delay. */
    dueAt?: number,
  ) => {
    if (stopping) return undefined;
    return await gate.run(async () => {
      if (stopping) return undefined;
      if (sent >= config.maxRequests) return void stop();
      sent++;
      const delay = dueAt === undefined ? undefined : Math.max(0, Date.now() - dueAt);
      const started = performance.now();
      try {
        const response = await fetch(url, init);
        // Bytes: segments are read whole, as a player would, but never decoded.
        const body = new Uint8Array(await response.arrayBuffer());
        const latency = performance.now() - started;
        stats.request(route, response.status, latency, onAnswer(response.status, body), delay);
        return { status: response.status, body };
      } catch {
        stats.request(route, 0, performance.now() - started, 0, delay);
        return undefined;
      }
    });
  };

  const postEvents = async (slot: Slot, events: SimulatedEvent[]) => {
    const viewer = slot.viewer!;
    await request(
      "POST /v1/events",
      `${config.url}/v1/events`,
      {
        method: "POST",
        headers: { "content-type": "application/json", ...slot.identity.headers },
        body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
      },
      (status, body) => {
        if (status !== 202) return 0;
        remember(acknowledged, viewer, events);
        return Number(JSON.parse(decoder.decode(body)).accepted ?? 0);
      },
      slot.dueAt,
    );
  };

  /** A GET's body as text (a segment's is dropped unread). */
  const get = async (slot: Slot, route: string, url: string) => {
    const answer = await request(route, url, { headers: slot.identity.headers });
    return answer && answer.status < 300 ? decoder.decode(answer.body) : undefined;
  };

  /** What a player fetches before its first frame: the playback URLs and two playlists. */
  const loadMedia = async (slot: Slot) => {
    const document = await get(
      slot,
      "GET /v1/videos/:id/playback",
      `${config.url}/v1/videos/${config.hlsContent}/playback`,
    );
    const master = document ? JSON.parse(document).master_playlist_url : undefined;
    if (typeof master !== "string") return;
    const masterUrl = new URL(master, config.url).href;
    const variants = playlistUris(await get(slot, "GET master.m3u8", masterUrl) ?? "", masterUrl);
    const variantUrl = variants[Math.floor(slot.random() * variants.length)];
    if (!variantUrl) return;
    slot.segments = playlistUris(await get(slot, "GET variant.m3u8", variantUrl) ?? "", variantUrl);
    slot.nextSegment = 0;
  };

  const startSession = (slot: Slot) => {
    const { random } = slot;
    sessionsStarted++;
    slot.viewer = newViewer({
      session_id: `sim-${config.seed}-${slot.index}-${slot.sessions++}-${crypto.randomUUID()}`,
      content_id: config.hlsContent ??
        config.contents[Math.floor(random() * config.contents.length)]!,
      user_id: slot.identity.userId,
      duration_sec: Math.round(120 + random() * 3_480),
      country: COUNTRIES[Math.floor(random() * COUNTRIES.length)]!,
      cdn_pop: POPS[Math.floor(random() * POPS.length)]!,
      device_type: DEVICES[Math.floor(random() * DEVICES.length)]!,
      heartbeatMs: config.heartbeatMs,
      chances: config.chances,
    });
  };

  /** When each tick was due by its viewer's clock (epoch ms), for `posts_due`. */
  const dueTimes: number[] = [];
  const schedule = (slot: Slot, dueAt: number) => {
    slot.dueAt = dueAt;
    dueTimes.push(dueAt);
    slot.timer = setTimeout(() => tick(slot), Math.max(0, dueAt - Date.now()));
  };

  const tick = async (slot: Slot) => {
    if (stopping) return;
    if (!slot.viewer || slot.viewer.phase === "done") startSession(slot);
    const step = advance(slot.viewer!, Date.now(), slot.random);
    if (step.events.some((e) => e.type === "play") && config.hlsContent) await loadMedia(slot);
    await postEvents(slot, step.events);
    if (step.events.some((e) => e.type === "heartbeat") && slot.segments.length > 0) {
      const segment = slot.segments[slot.nextSegment++ % slot.segments.length]!;
      await request("GET segment", segment, { headers: slot.identity.headers });
    }
    if (stopping) return;
    // After a session ends the viewer takes a short break, then plays another.
    schedule(slot, slot.dueAt + (step.wakeInMs ?? 1_000 + slot.random() * 4_000));
  };

  const slots: Slot[] = Array.from({ length: config.viewers }, (_, index) => ({
    index,
    identity: identities[index % identities.length]!,
    random: seededRandom(config.seed * 1_000_003 + index),
    sessions: 0,
    segments: [],
    nextSegment: 0,
    dueAt: 0,
  }));
  const startedAt = Date.now();
  for (const slot of slots) {
    schedule(slot, startedAt + (slot.index / config.viewers) * config.rampSec * 1000);
  }
  const reporter = setInterval(() => {
    const active = slots.filter((s) => s.viewer && s.viewer.phase !== "done").length;
    config.onReport?.(stats.interval(), active);
  }, config.reportEverySec * 1000);
  const deadline = setTimeout(stop, config.durationSec * 1000);

  await finished;
  const stoppedAt = Date.now();
  clearTimeout(deadline);
  clearInterval(reporter);
  for (const slot of slots) clearTimeout(slot.timer);
  await gate.drained();
  const sessions = [...acknowledged.values()].map(withoutOpenStall);
  return {
    total: stats.total(),
    posts_due: dueTimes.filter((dueAt) => dueAt < stoppedAt).length +
      slots.reduce((n, slot) => n + heartbeatsMissed(slot, stoppedAt, config.heartbeatMs), 0),
    sessions_started: sessionsStarted,
    sessions: sessions.filter((s) => s.events.length > 0),
    open_stalls: sessions.reduce((n, s) => n + s.open_stalls, 0),
  };
}

/**
 * The heartbeats a viewer's clock called for after its last scheduled post, up to `nowMs`: a
 * viewer waiting on a late answer has not scheduled them yet.
 */
function heartbeatsMissed(slot: Slot, nowMs: number, heartbeatMs: number): number {
  return slot.dueAt < nowMs ? Math.floor((nowMs - slot.dueAt) / heartbeatMs) : 0;
}

function remember(into: Map<string, SimulatedSession>, viewer: Viewer, events: SimulatedEvent[]) {
  const plan = viewer.plan;
  let session = into.get(plan.session_id);
  if (!session) {
    into.set(
      plan.session_id,
      session = {
        session_id: plan.session_id,
        content_id: plan.content_id,
        user_id: plan.user_id,
        country: plan.country,
        cdn_pop: plan.cdn_pop,
        device_type: plan.device_type,
        lateness: "on_time",
        events: [],
      },
    );
  }
  session.events.push(...events);
}

/** A stall still open when the run stopped has no end yet: the truth cannot count it. */
function withoutOpenStall(session: SimulatedSession): SimulatedSession & { open_stalls: number } {
  const events = [...session.events].sort((a, b) => a.seq - b.seq);
  const last = events.at(-1)?.type;
  const open = last === "buffer_start" && events.at(-2)?.type !== "seek" ? 1 : 0;
  while (events.length > 0 && ["buffer_start", "seek"].includes(events[events.length - 1]!.type)) {
    events.pop();
  }
  return { ...session, events, open_stalls: open };
}

/** Viewer identities: X-User-Id per viewer with auth off, else accounts made by the admin. */
async function signIn(config: PlayersConfig): Promise<Identity[]> {
  if (!config.adminToken) {
    return Array.from({ length: config.viewers }, (_, i) => {
      const userId = `sim-viewer-${config.seed}-${i}`;
      return { userId, headers: { "x-user-id": userId } };
    });
  }
  const run = crypto.randomUUID().slice(0, 8);
  const identities: Identity[] = [];
  for (let i = 0; i < Math.min(config.accounts, config.viewers); i++) {
    const email = `sim-${run}-${i}@simulated.invalid`;
    const password = `simulated password ${run}`;
    await callJson(config.url, "/v1/accounts", { email, password, role: "viewer" }, {
      authorization: `Bearer ${config.adminToken}`,
    });
    const login = await callJson(config.url, "/v1/auth/login", {
      email,
      password,
      device_id: "simulated-player",
    });
    identities.push({
      userId: String(login.user_id),
      headers: { authorization: `Bearer ${login.access_token}` },
    });
  }
  return identities;
}

async function callJson(
  url: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** At most `limit` tasks at once; the others wait their turn. */
class Gate {
  #running = 0;
  #waiting: (() => void)[] = [];
  #idle: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit) await new Promise<void>((go) => this.#waiting.push(go));
    else this.#running++;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else if (--this.#running === 0) this.#idle.splice(0).forEach((resolve) => resolve());
    }
  }

  drained(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}
