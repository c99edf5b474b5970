/**
 * Queries over the live views read model (schema `views`): top-K over a window, optionally only
 * one genre or content type (joined with the catalog read model when reading: a board follows a
 * content's current genre), and one content's view stats.
 */
import { type Granularity, type Window, windowPlan } from "../../domain/analytics/windows.ts";
import type { RankedContent } from "../../domain/ports/leaderboard.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { generationSchema } from "../runtime/projection.ts";

/** Where each granularity's counts are: the counted views themselves by minute, else the aggregates. */
const SOURCES: Record<Granularity | "all", { table: string; time?: string; views: string }> = {
  minute: { table: "views.counted", time: "viewed_at", views: "1" },
  hour: { table: "views.hourly", time: "hour", views: "views" },
  day: { table: "views.daily", time: "day", views: "views" },
  all: { table: "views.totals", views: "views" },
};

export interface TopQuery {
  window: Window;
  k: number;
  genre?: string;
  content_type?: string;
}

export async function topViewed(
  sql: SqlExecutor,
  query: TopQuery,
  now: number,
): Promise<RankedContent[]> {
  const plan = windowPlan(query.window, now);
  const source = SOURCES[plan?.granularity ?? "all"];
  const params: unknown[] = [query.k];
  const conditions: string[] = [];
  const where = (condition: (param: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (plan && source.time) {
    where((p) => `t.${source.time} >= ${p}`, new Date(plan.from).toISOString());
  }
  if (query.genre !== undefined) where((p) => `lower(c.genre) = lower(${p})`, query.genre);
  if (query.content_type !== undefined) where((p) => `c.content_type = ${p}`, query.content_type);
  const filtered = query.genre !== undefined || query.content_type !== undefined;
  return await sql.query<RankedContent>(
    `SELECT t.content_id, sum(${source.views})::float8 AS views
     FROM ${source.table} t
     ${filtered ? "JOIN catalog.videos c ON c.id::text = t.content_id" : ""}
     ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""}
     GROUP BY t.content_id
     ORDER BY views DESC, t.content_id DESC
     LIMIT $1`,
    params,
  );
}

export interface ViewStats {
  total: number;
  last_hour: number;
  last_day: number;
  last_week: number;
  last_month: number;
}

/** Views of one content: all time and over the last hour, day, week and month (as the boards count them). */
export async function viewStats(
  sql: SqlExecutor,
  contentId: string,
  now: number,
): Promise<ViewStats> {
  const params: unknown[] = [contentId];
  const over = (window: Window) => {
    const plan = windowPlan(window, now)!;
    const source = SOURCES[plan.granularity];
    params.push(new Date(plan.from).toISOString());
    return `(SELECT coalesce(sum(${source.views}), 0)::float8 FROM ${source.table}
             WHERE content_id = $1 AND ${source.time} >= $${params.length})`;
  };
  const [row] = await sql.query<ViewStats>(
    `SELECT
       (SELECT coalesce(sum(views), 0)::float8 FROM views.totals WHERE content_id = $1) AS total,
       ${over("hour")} AS last_hour, ${over("day")} AS last_day,
       ${over("week")} AS last_week, ${over("month")} AS last_month`,
    params,
  );
  return row!;
}

/** The schema of the live generation of a projection (for its boards kept outside SQL), if any. */
export async function liveSchema(
  sql: SqlExecutor,
  projection: string,
): Promise<string | undefined> {
  const [live] = await sql.query<{ generation: number }>(
    "SELECT generation FROM projection_generations WHERE projection = $1 AND status = 'live'",
    [projection],
  );
  return live ? generationSchema(projection, live.generation) : undefined;
}

export interface ContentLabel {
  id: string;
  title: string;
  content_type: string;
  genre: string | null;
}

/** Title, type and genre of the contents the catalog knows among `ids` (for ranked answers). */
export async function contentLabels(
  sql: SqlExecutor,
  ids: readonly string[],
): Promise<Map<string, ContentLabel>> {
  // Catalog ids are UUIDs; a content id of the telemetry that is not one cannot be in the catalog.
  const known = ids.filter((id) => UUID.test(id));
  if (known.length === 0) return new Map();
  const rows = await sql.query<ContentLabel>(
    `SELECT id::text, title, content_type, genre FROM catalog.videos
     WHERE id = ANY($1::uuid[]) AND status <> 'deleted'`,
    [known],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
