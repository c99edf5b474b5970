/**
 * The benchmark's telemetry projection: a small QoE aggregate per playback session (heartbeats
 * seen, the latest position and bitrate, the cumulative counters). A batch is folded in memory and
 * written with one upsert, as a real telemetry projection would write it.
 */
import type { SqlExecutor } from "../../../domain/ports/sql.ts";
import type { LoggedRecord } from "../../../domain/ports/telemetry-log.ts";
import type { TelemetryProjection } from "../../../projections/runtime/projection.ts";

/** One session's figures from a batch: its records counted, its latest heartbeat's values. */
export interface SessionSummary {
  session_id: string;
  content_id: string;
  records: number;
  last_seq: number;
  position_sec: number;
  bitrate_kbps: number;
  /** Cumulative in the session, so the largest value seen is the latest. */
  played_ms: number;
  rebuffer_ms: number;
  stalls: number;
  dropped_frames: number;
  last_at: string;
}

/** The batch's sessions in order of first appearance; a record without a number counts as 0. */
export function summarizeSessions(records: readonly LoggedRecord[]): SessionSummary[] {
  const sessions = new Map<string, SessionSummary>();
  for (const { key, value } of records) {
    const number = (field: string) => typeof value[field] === "number" ? value[field] : 0;
    const seq = number("seq");
    const summary = sessions.get(key);
    if (summary) {
      summary.records++;
      summary.played_ms = Math.max(summary.played_ms, number("played_ms"));
      summary.rebuffer_ms = Math.max(summary.rebuffer_ms, number("rebuffer_ms"));
      summary.stalls = Math.max(summary.stalls, number("stalls"));
      summary.dropped_frames = Math.max(summary.dropped_frames, number("dropped_frames"));
      if (seq < summary.last_seq) continue;
    }
    const latest = {
      last_seq: seq,
      position_sec: number("position_sec"),
      bitrate_kbps: number("bitrate_kbps"),
      last_at: typeof value.timestamp === "string" ? value.timestamp : new Date(0).toISOString(),
    };
    if (summary) Object.assign(summary, latest);
    else {
      sessions.set(key, {
        session_id: key,
        content_id: typeof value.content_id === "string" ? value.content_id : "",
        records: 1,
        played_ms: number("played_ms"),
        rebuffer_ms: number("rebuffer_ms"),
        stalls: number("stalls"),
        dropped_frames: number("dropped_frames"),
        ...latest,
      });
    }
  }
  return [...sessions.values()];
}

const COLUMNS = [
  ["session_id", "text"],
  ["content_id", "text"],
  ["records", "integer"],
  ["last_seq", "integer"],
  ["position_sec", "double precision"],
  ["bitrate_kbps", "integer"],
  ["played_ms", "bigint"],
  ["rebuffer_ms", "bigint"],
  ["stalls", "integer"],
  ["dropped_frames", "integer"],
  ["last_at", "timestamptz"],
] as const satisfies readonly (readonly [keyof SessionSummary, string])[];

async function applySessions(tx: SqlExecutor, schema: string, records: readonly LoggedRecord[]) {
  const summaries = summarizeSessions(records);
  if (summaries.length === 0) return;
  const arrays = COLUMNS.map(([name]) => summaries.map((summary) => summary[name]));
  const unnest = COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(", ");
  const newer = "excluded.last_seq >= s.last_seq";
  const latest = (column: string) =>
    `${column} = CASE WHEN ${newer} THEN excluded.${column} ELSE s.${column} END`;
  const largest = (column: string) => `${column} = greatest(s.${column}, excluded.${column})`;
  await tx.query(
    `INSERT INTO ${schema}.sessions AS s (${COLUMNS.map(([name]) => name).join(", ")})
     SELECT * FROM unnest(${unnest})
     ON CONFLICT (session_id) DO UPDATE SET records = s.records + excluded.records,
       ${["position_sec", "bitrate_kbps", "last_at"].map(latest).join(", ")},
       ${
      ["played_ms", "rebuffer_ms", "stalls", "dropped_frames", "last_seq"].map(largest).join(", ")
    }`,
    arrays,
  );
}

export const sessionProjection: TelemetryProjection = {
  source: "telemetry",
  name: "bench_sessions",
  version: 1,
  tables: ["sessions"],
  // Telemetry comes in volume: larger batches mean fewer transactions (and commits) per record.
  batchSize: 5_000,
  setup: (tx, schema) =>
    tx.exec(`CREATE TABLE ${schema}.sessions (
      ${COLUMNS.map(([name, type]) => `${name} ${type} NOT NULL`).join(",\n      ")},
      PRIMARY KEY (session_id)
    )`),
  apply: applySessions,
};
