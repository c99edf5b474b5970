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
  // Runs for every record applied: assignments in place, no object or closure per record.
  const sessions = new Map<string, SessionSummary>();
  for (const { key, value } of records) {
    const seq = numberOr0(value.seq);
    const summary = sessions.get(key);
    if (summary === undefined) {
      sessions.set(key, {
        session_id: key,
        content_id: typeof value.content_id === "string" ? value.content_id : "",
        records: 1,
        last_seq: seq,
        position_sec: numberOr0(value.position_sec),
        bitrate_kbps: numberOr0(value.bitrate_kbps),
        played_ms: numberOr0(value.played_ms),
        rebuffer_ms: numberOr0(value.rebuffer_ms),
        stalls: numberOr0(value.stalls),
        dropped_frames: numberOr0(value.dropped_frames),
        last_at: timestampOf(value.timestamp),
      });
      continue;
    }
    summary.records++;
    summary.played_ms = Math.max(summary.played_ms, numberOr0(value.played_ms));
    summary.rebuffer_ms = Math.max(summary.rebuffer_ms, numberOr0(value.rebuffer_ms));
    summary.stalls = Math.max(summary.stalls, numberOr0(value.stalls));
    summary.dropped_frames = Math.max(summary.dropped_frames, numberOr0(value.dropped_frames));
    if (seq < summary.last_seq) continue;
    summary.last_seq = seq;
    summary.position_sec = numberOr0(value.position_sec);
    summary.bitrate_kbps = numberOr0(value.bitrate_kbps);
    summary.last_at = timestampOf(value.timestamp);
  }
  return [...sessions.values()];
}

const numberOr0 = (value: unknown) => typeof value === "number" ? value : 0;
const EPOCH = new Date(0).toISOString();
const timestampOf = (value: unknown) => typeof value === "string" ? value : EPOCH;

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
  const names = COLUMNS.map(([name]) => name).join(", ");
  const typed = COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ");
  const newer = "excluded.last_seq >= s.last_seq";
  const latest = (column: string) =>
    `${column} = CASE WHEN ${newer} THEN excluded.${column} ELSE s.${column} END`;
  const largest = (column: string) => `${column} = greatest(s.${column}, excluded.${column})`;
  await tx.query(
    // One JSON document for the batch's rows: JSON.stringify costs the process far less than
    // encoding a text array per column.
    `INSERT INTO ${schema}.sessions AS s (${names})
     SELECT ${names} FROM json_to_recordset($1::json) AS r(${typed})
     ON CONFLICT (session_id) DO UPDATE SET records = s.records + excluded.records,
       ${["position_sec", "bitrate_kbps", "last_at"].map(latest).join(", ")},
       ${
      ["played_ms", "rebuffer_ms", "stalls", "dropped_frames", "last_seq"].map(largest).join(", ")
    }`,
    [JSON.stringify(summaries)],
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
