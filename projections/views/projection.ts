/**
 * View counts in SQL: the counted views (the hour window reads them by minute), hourly and daily
 * pre-aggregates (day and week; month and year) and all-time totals per content. The aggregates
 * grow only by the views this batch counted for the first time, in the runtime's transaction with
 * the checkpoint, so a replay adds nothing. A late view lands in the buckets of its event time.
 */
import { DEFAULT_VIEW_RULE, type ViewRule } from "../../domain/analytics/view-rule.ts";
import type { CountedView } from "../../domain/ports/leaderboard.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import type { TelemetryProjection } from "../runtime/projection.ts";
import { TELEMETRY_BATCH_SIZE } from "../runtime/telemetry-batch.ts";
import { COUNTING_TABLES, countViews, forgetStaleSessions, setupCounting } from "./count.ts";

export function viewsProjection(rule: ViewRule = DEFAULT_VIEW_RULE): TelemetryProjection {
  return {
    source: "telemetry",
    name: "views",
    version: 1,
    batchSize: TELEMETRY_BATCH_SIZE,
    tables: [...COUNTING_TABLES, "hourly", "daily", "totals"],
    forget: forgetStaleSessions,

    async setup(tx, schema) {
      await setupCounting(tx, schema);
      await tx.exec(`
        CREATE TABLE ${schema}.hourly (
          content_id text NOT NULL, hour timestamptz NOT NULL, views bigint NOT NULL,
          PRIMARY KEY (content_id, hour)
        );
        CREATE INDEX ON ${schema}.hourly (hour);
        CREATE TABLE ${schema}.daily (
          content_id text NOT NULL, day timestamptz NOT NULL, views bigint NOT NULL,
          PRIMARY KEY (content_id, day)
        );
        CREATE INDEX ON ${schema}.daily (day);
        CREATE TABLE ${schema}.totals (content_id text PRIMARY KEY, views bigint NOT NULL);
      `);
    },

    async apply(tx, schema, records) {
      const views = await countViews(tx, schema, records, rule);
      if (views.length > 0) await addToAggregates(tx, schema, views);
    },
  };
}

/** One statement: the hourly, daily and all-time aggregates each add this batch's views. */
async function addToAggregates(tx: SqlExecutor, schema: string, views: CountedView[]) {
  const rows = JSON.stringify(
    views.map(({ content_id, viewed_at }) => ({ content_id, viewed_at })),
  );
  const added = (table: string, bucket: string) =>
    `INSERT INTO ${schema}.${table}
     SELECT content_id, date_trunc('${bucket}', viewed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', count(*)
     FROM views GROUP BY 1, 2
     ON CONFLICT (content_id, ${bucket}) DO UPDATE SET views = ${table}.views + excluded.views`;
  await tx.query(
    `WITH views AS (
       SELECT * FROM json_to_recordset($1::text::json) AS v(content_id text, viewed_at timestamptz)
     ), hourly AS (${added("hourly", "hour")}), daily AS (${added("daily", "day")})
     INSERT INTO ${schema}.totals SELECT content_id, count(*) FROM views GROUP BY 1
     ON CONFLICT (content_id) DO UPDATE SET views = totals.views + excluded.views`,
    [rows],
  );
}
