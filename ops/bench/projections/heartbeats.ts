/**
 * Playback heartbeats as players send them (a session's counters are cumulative), keyed by session
 * id as the telemetry log keys them. About 450 bytes of JSON each.
 */
import type { TelemetryRecord } from "../../../domain/ports/telemetry-log.ts";
import { between, pick, type Random, randomUuid, seededRandom } from "./random.ts";

const LADDER = [
  { bitrate_kbps: 800, resolution: "480p" },
  { bitrate_kbps: 2_400, resolution: "720p" },
  { bitrate_kbps: 4_800, resolution: "1080p" },
  { bitrate_kbps: 12_000, resolution: "2160p" },
];
const DEVICES = ["mobile", "tablet", "desktop", "tv", "console"];
const COUNTRIES = ["US", "DE", "FR", "BR", "JP", "IN", "GB"];
const HEARTBEAT_SEC = 10;
const START = Date.parse("2026-01-01T20:00:00Z");

interface Session {
  session_id: string;
  content_id: string;
  user_id: string;
  device_type: string;
  country: string;
  cdn_pop: string;
  duration_sec: number;
  seq: number;
  rebuffer_ms: number;
  stalls: number;
  dropped_frames: number;
}

/** `count` heartbeats of `sessions` sessions, each record of a session picked at random. */
export function heartbeatRecords(count: number, sessions: number, seed = 7): TelemetryRecord[] {
  const random = seededRandom(seed);
  const open = Array.from({ length: sessions }, () => newSession(random));
  return Array.from({ length: count }, () => heartbeat(random, pick(random, open)));
}

function newSession(random: Random): Session {
  return {
    session_id: randomUuid(random),
    content_id: randomUuid(random),
    user_id: `user-${between(random, 1, 1_000_000)}`,
    device_type: pick(random, DEVICES),
    country: pick(random, COUNTRIES),
    cdn_pop: `pop-${pick(random, ["fra", "iad", "gru", "nrt", "bom"])}${between(random, 1, 9)}`,
    duration_sec: between(random, 1_200, 9_000),
    seq: 0,
    rebuffer_ms: 0,
    stalls: 0,
    dropped_frames: 0,
  };
}

function heartbeat(random: Random, session: Session): TelemetryRecord {
  const seq = ++session.seq;
  if (random() < 0.05) {
    session.rebuffer_ms += between(random, 200, 3_000);
    session.stalls++;
  }
  session.dropped_frames += between(random, 0, 2);
  const { session_id, content_id, user_id, device_type, country, cdn_pop, duration_sec } = session;
  return {
    key: session_id,
    value: {
      event_id: randomUuid(random),
      type: "heartbeat",
      session_id,
      seq,
      content_id,
      timestamp: new Date(START + seq * HEARTBEAT_SEC * 1000).toISOString(),
      user_id,
      position_sec: Math.min(duration_sec, seq * HEARTBEAT_SEC),
      duration_sec,
      ...pick(random, LADDER),
      buffer_health_sec: between(random, 5, 30),
      played_ms: seq * HEARTBEAT_SEC * 1000,
      rebuffer_ms: session.rebuffer_ms,
      stalls: session.stalls,
      dropped_frames: session.dropped_frames,
      device_type,
      country,
      cdn_pop,
    },
  };
}
