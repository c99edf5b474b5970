/** The QoE read model's tables (1-minute cells) and the counter columns a cell row sums. */
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import type { QoeCounters } from "../../domain/qoe/metrics.ts";
import { emptyDelta } from "../../domain/qoe/session-step.ts";

/** Summable counters of a window row, in column order. */
export const COUNTER_COLUMNS = [
  ...Object.keys(emptyDelta()).filter((key) => key !== "vst_ms"),
  "active_sessions",
  "late_dropped",
] as (keyof QoeCounters)[];

/** The dimensions every window row and viewer row is keyed by. */
export const DIMENSIONS = ["content_id", "country", "cdn_pop", "device_type"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export function createQoeTables(schema: string): string {
  const counters = COUNTER_COLUMNS.map((column) => `${column} double precision NOT NULL DEFAULT 0`);
  const dimensions = DIMENSIONS.map((dimension) => `${dimension} text NOT NULL`);
  const cellKey = `window_start, ${DIMENSIONS.join(", ")}`;
  return `
    CREATE TABLE ${schema}.qoe_sessions (
      session_id text PRIMARY KEY,
      ${dimensions.join(",\n      ")},
      viewer text NOT NULL,
      last_seq integer NOT NULL,
      last_event_ms bigint NOT NULL,
      play_ms bigint,
      started boolean NOT NULL,
      errored boolean NOT NULL,
      failed boolean NOT NULL,
      completed boolean NOT NULL,
      ended boolean NOT NULL,
      seeking boolean NOT NULL,
      stall_since_ms bigint,
      played_ms double precision NOT NULL,
      dropped_frames double precision NOT NULL,
      bitrate_kbps double precision,
      duration_sec double precision,
      active_minute_ms bigint NOT NULL
    );
    CREATE INDEX ON ${schema}.qoe_sessions (last_event_ms) WHERE NOT ended;
    CREATE TABLE ${schema}.qoe_windows (
      window_start timestamptz NOT NULL,
      ${dimensions.join(",\n      ")},
      ${counters.join(",\n      ")},
      vst_sketch text,
      PRIMARY KEY (${cellKey})
    );
    CREATE INDEX ON ${schema}.qoe_windows (content_id, window_start);
    CREATE TABLE ${schema}.qoe_viewers (
      window_start timestamptz NOT NULL,
      ${dimensions.join(",\n      ")},
      viewer text NOT NULL,
      PRIMARY KEY (${cellKey}, viewer)
    );
    CREATE TABLE ${schema}.qoe_partitions (
      partition integer PRIMARY KEY,
      watermark_ms bigint NOT NULL
    );
  `;
}

/** Retention: minute cells and their viewers from before `cutoff`, and sessions silent since. */
export async function forgetQoeBefore(sql: SqlExecutor, schema: string, cutoff: Date) {
  await sql.query(
    `WITH windows AS (DELETE FROM ${schema}.qoe_windows WHERE window_start < $1),
          viewers AS (DELETE FROM ${schema}.qoe_viewers WHERE window_start < $1)
     DELETE FROM ${schema}.qoe_sessions WHERE last_event_ms < $2`,
    [cutoff, cutoff.getTime()],
  );
}
