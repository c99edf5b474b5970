/**
 * Real-time QoE (seed 001): per-session state plus 1-minute cells by content, country, CDN PoP and
 * device type, with start-time sketches (decision 0011); 5-minute windows merge five of them. Replays change
 * nothing: a session skips events whose seq it has already applied, and the runtime commits the
 * writes with the checkpoint.
 */
import type { QuantileSketches } from "../../domain/ports/quantile-sketch.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import type { QoeSession } from "../../domain/qoe/session-step.ts";
import type { TelemetryProjection } from "../runtime/projection.ts";
import { TELEMETRY_BATCH_SIZE } from "../runtime/telemetry-batch.ts";
import { accumulate, type AccumulateOptions, type BatchState, type Cell } from "./accumulate.ts";
import { COUNTER_COLUMNS, createQoeTables, DIMENSIONS, forgetQoeBefore } from "./tables.ts";

export const QOE_PROJECTION = "qoe";

export function qoeProjection(options: AccumulateOptions): TelemetryProjection {
  return {
    source: "telemetry",
    name: QOE_PROJECTION,
    version: 1,
    tables: ["qoe_sessions", "qoe_windows", "qoe_viewers", "qoe_partitions"],
    batchSize: TELEMETRY_BATCH_SIZE,
    setup: (tx, schema) => tx.exec(createQoeTables(schema)),
    forget: forgetQoeBefore,

    async apply(tx, schema, records) {
      const ids = new Set<string>();
      for (const { value } of records) {
        if (typeof value.session_id === "string") ids.add(value.session_id);
      }
      const partitions = [...new Set(records.map((r) => r.partition))];
      const state: BatchState = {
        sessions: await loadSessions(tx, schema, [...ids]),
        watermarks: await loadWatermarks(tx, schema, partitions),
        cells: new Map(),
        viewers: [],
      };
      accumulate(state, records, options);
      await writeSessions(tx, schema, [...state.sessions.values()]);
      await writeWatermarks(tx, schema, state.watermarks);
      await writeCells(tx, schema, [...state.cells.values()], options.sketches);
      if (state.viewers.length > 0) {
        await tx.query(
          `INSERT INTO ${schema}.qoe_viewers
           SELECT * FROM json_populate_recordset(null::${schema}.qoe_viewers, $1::text::json)
           ON CONFLICT DO NOTHING`,
          [JSON.stringify(state.viewers)],
        );
      }
    },
  };
}

async function loadSessions(tx: SqlExecutor, schema: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, QoeSession>();
  const rows = await tx.query<QoeSession>(
    `SELECT * FROM ${schema}.qoe_sessions WHERE session_id = ANY($1::text[])`,
    [ids],
  );
  // bigint columns arrive as text from some drivers.
  const numeric = ["last_event_ms", "play_ms", "stall_since_ms", "active_minute_ms"];
  return new Map(rows.map((row) => {
    const session = { ...row } as Record<string, unknown>;
    for (const key of numeric) if (session[key] !== null) session[key] = Number(session[key]);
    return [row.session_id, session as unknown as QoeSession];
  }));
}

async function writeSessions(tx: SqlExecutor, schema: string, sessions: QoeSession[]) {
  if (sessions.length === 0) return;
  const table = `${schema}.qoe_sessions`;
  const columns = Object.keys(sessions[0]!).filter((key) => key !== "session_id");
  await tx.query(
    `INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1::text::json)
     ON CONFLICT (session_id) DO UPDATE SET
     ${columns.map((column) => `${column} = excluded.${column}`).join(", ")}`,
    [JSON.stringify(sessions)],
  );
}

async function loadWatermarks(tx: SqlExecutor, schema: string, partitions: number[]) {
  const rows = await tx.query<{ partition: number; watermark_ms: string }>(
    `SELECT partition, watermark_ms::text FROM ${schema}.qoe_partitions
     WHERE partition = ANY($1::int[])`,
    [partitions],
  );
  return new Map(rows.map((row) => [row.partition, Number(row.watermark_ms)]));
}

async function writeWatermarks(tx: SqlExecutor, schema: string, watermarks: Map<number, number>) {
  const rows = [...watermarks].map(([partition, watermark_ms]) => ({ partition, watermark_ms }));
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO ${schema}.qoe_partitions
     SELECT * FROM json_populate_recordset(null::${schema}.qoe_partitions, $1::text::json)
     ON CONFLICT (partition) DO UPDATE
     SET watermark_ms = greatest(qoe_partitions.watermark_ms, excluded.watermark_ms)`,
    [JSON.stringify(rows)],
  );
}

/** Counters are added in SQL; a cell with new start times gets its stored sketch merged here. */
async function writeCells(
  tx: SqlExecutor,
  schema: string,
  cells: Cell[],
  sketches: QuantileSketches,
) {
  if (cells.length === 0) return;
  const table = `${schema}.qoe_windows`;
  const keyColumns = ["window_start", ...DIMENSIONS];
  const withSketch = cells.filter((cell) => cell.vst !== null);
  if (withSketch.length > 0) {
    const stored = await tx.query<Record<string, string>>(
      `SELECT ${keyColumns.map((c) => `w.${c}`).join(", ")}, w.vst_sketch FROM ${table} w
       JOIN json_populate_recordset(null::${table}, $1::text::json) k
       USING (${keyColumns.join(", ")})
       WHERE w.vst_sketch IS NOT NULL`,
      [JSON.stringify(withSketch.map((cell) => cell.key))],
    );
    const byKey = new Map(stored.map((row) => [rowKey(row), row.vst_sketch!]));
    for (const cell of withSketch) {
      const previous = byKey.get(rowKey(cell.key as unknown as Record<string, unknown>));
      if (previous) cell.vst!.merge(sketches.parse(previous));
    }
  }
  const rows = cells.map((cell) => ({
    ...cell.key,
    ...cell.counters,
    vst_sketch: cell.vst?.serialize() ?? null,
  }));
  await tx.query(
    `INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1::text::json)
     ON CONFLICT (${keyColumns.join(", ")}) DO UPDATE SET
     ${COUNTER_COLUMNS.map((c) => `${c} = qoe_windows.${c} + excluded.${c}`).join(", ")},
     vst_sketch = coalesce(excluded.vst_sketch, qoe_windows.vst_sketch)`,
    [JSON.stringify(rows)],
  );
}

function rowKey(row: Record<string, unknown>): string {
  const start = row.window_start instanceof Date
    ? row.window_start.getTime()
    : Date.parse(String(row.window_start));
  return JSON.stringify([start, ...DIMENSIONS.map((d) => row[d])]);
}
