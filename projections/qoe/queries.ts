/**
 * Queries over the live QoE read model (views in the schema `qoe`): window figures summed over
 * cells with their sketches merged, unique viewers, concurrency, live viewers and trending content.
 */
import type { QuantileSketches } from "../../domain/ports/quantile-sketch.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import type { QoeCounters, QoeInputs } from "../../domain/qoe/metrics.ts";
import { COUNTER_COLUMNS, type Dimension } from "./tables.ts";

export interface WindowQuery {
  /** The minutes starting in [fromMs, toMs) are merged. */
  fromMs: number;
  toMs: number;
  contentId?: string;
  groupBy?: Dimension;
}

export interface GroupInputs {
  /** The group's value (a country, say), or null without grouping. */
  group: string | null;
  inputs: QoeInputs;
}

/** Figures per group (one group without `groupBy`), with sketches merged across windows and cells. */
export async function windowInputs(
  sql: SqlExecutor,
  sketches: QuantileSketches,
  query: WindowQuery,
): Promise<GroupInputs[]> {
  const group = query.groupBy ?? "NULL";
  const [where, params] = filter(query);
  const sums = COUNTER_COLUMNS.map((c) => `sum(${c})::float8 AS ${c}`).join(", ");
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT ${group} AS grp, ${sums},
       array_remove(array_agg(vst_sketch), NULL) AS sketches
     FROM qoe.qoe_windows WHERE ${where} GROUP BY grp ORDER BY grp`,
    params,
  );
  const viewers = await groupCounts(
    sql,
    `SELECT ${group} AS grp, count(DISTINCT viewer)::int AS n FROM qoe.qoe_viewers
     WHERE ${where} GROUP BY grp`,
    params,
  );
  const concurrency = await concurrencyByGroup(sql, query);
  return rows.map((row) => {
    const key = row.grp === null ? null : String(row.grp);
    const merged = sketches.create();
    for (const text of row.sketches as string[]) merged.merge(sketches.parse(text));
    const counters = Object.fromEntries(
      COUNTER_COLUMNS.map((c) => [c, Number(row[c] ?? 0)]),
    ) as QoeCounters;
    return {
      group: key,
      inputs: {
        counters,
        vst: {
          count: merged.count,
          p50: merged.quantile(0.5),
          p95: merged.quantile(0.95),
          p99: merged.quantile(0.99),
        },
        unique_viewers: viewers.get(key) ?? 0,
        concurrent: concurrency.get(key) ?? { max: 0, avg: 0 },
      },
    };
  });
}

/**
 * Concurrent viewers of each minute are the sessions active in it (1-minute cells); over a longer
 * span, the maximum and the average of its minutes.
 */
async function concurrencyByGroup(sql: SqlExecutor, query: WindowQuery) {
  const group = query.groupBy ?? "NULL";
  const [where, params] = filter(query);
  const rows = await sql.query<{ grp: string | null; n: number }>(
    `SELECT ${group} AS grp, window_start, sum(active_sessions)::float8 AS n
     FROM qoe.qoe_windows WHERE ${where} GROUP BY grp, window_start`,
    params,
  );
  const minutes = Math.max(1, (query.toMs - query.fromMs) / 60_000);
  const result = new Map<string | null, { max: number; avg: number }>();
  for (const row of rows) {
    const key = row.grp === null ? null : String(row.grp);
    const current = result.get(key) ?? { max: 0, avg: 0 };
    result.set(key, { max: Math.max(current.max, row.n), avg: current.avg + row.n / minutes });
  }
  return result;
}

function filter(query: WindowQuery): [string, unknown[]] {
  const params: unknown[] = [
    new Date(query.fromMs).toISOString(),
    new Date(query.toMs).toISOString(),
  ];
  let where = "window_start >= $1 AND window_start < $2";
  if (query.contentId !== undefined) {
    params.push(query.contentId);
    where += ` AND content_id = $${params.length}`;
  }
  return [where, params];
}

async function groupCounts(sql: SqlExecutor, text: string, params: unknown[]) {
  const rows = await sql.query<{ grp: string | null; n: number }>(text, params);
  return new Map(rows.map((row) => [row.grp === null ? null : String(row.grp), Number(row.n)]));
}

/** Start (epoch ms) of the latest minute with data, for the content if given. */
export async function latestMinute(sql: SqlExecutor, contentId?: string): Promise<number | null> {
  const rows = await sql.query<{ start: Date | string | null }>(
    `SELECT max(window_start) AS start FROM qoe.qoe_windows
     WHERE $1::text IS NULL OR content_id = $1`,
    [contentId ?? null],
  );
  const start = rows[0]?.start;
  return start ? new Date(start).getTime() : null;
}

/**
 * A partition whose watermark trails the most advanced one by more than this has gone quiet (its
 * sessions ended, new ones hash elsewhere) rather than fallen behind: every partition is read by the
 * same consumer, so they advance together while they have traffic.
 */
export const IDLE_PARTITION_MS = 5 * 60_000;

/**
 * The lowest watermark of the partitions with traffic: windows closed on each of them end before
 * it. Without leaving idle partitions out, one quiet partition would hold every window open, and
 * alerts unevaluated, for good. A partition that comes back to life resumes with current events;
 * its late ones may still change a window already shown closed.
 */
export async function lowestWatermark(sql: SqlExecutor): Promise<number | null> {
  const rows = await sql.query<{ w: string | null }>(
    `SELECT min(watermark_ms)::text AS w FROM qoe.qoe_partitions
      WHERE watermark_ms >= (SELECT max(watermark_ms) FROM qoe.qoe_partitions) - $1`,
    [IDLE_PARTITION_MS],
  );
  return rows[0]?.w ? Number(rows[0].w) : null;
}

/** Sessions live at `nowMs` (not ended, heard from within `silenceMs`), per group. */
export async function liveViewers(
  sql: SqlExecutor,
  live: { nowMs: number; silenceMs: number; contentId?: string; groupBy?: Dimension },
): Promise<Map<string | null, number>> {
  const group = live.groupBy ?? "NULL";
  return await groupCounts(
    sql,
    `SELECT ${group} AS grp, count(*)::int AS n FROM qoe.qoe_sessions
     WHERE NOT ended AND last_event_ms > $1 AND ($2::text IS NULL OR content_id = $2)
     GROUP BY grp`,
    [live.nowMs - live.silenceMs, live.contentId ?? null],
  );
}

/** Content ranked by live viewers now. */
export async function trendingNow(
  sql: SqlExecutor,
  live: { nowMs: number; silenceMs: number; limit: number },
): Promise<{ content_id: string; concurrent_viewers: number }[]> {
  return await sql.query(
    `SELECT content_id, count(*)::int AS concurrent_viewers FROM qoe.qoe_sessions
     WHERE NOT ended AND last_event_ms > $1
     GROUP BY content_id ORDER BY concurrent_viewers DESC, content_id LIMIT $2`,
    [live.nowMs - live.silenceMs, live.limit],
  );
}
