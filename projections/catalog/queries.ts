/** Queries over the live catalog read model (the views in schema `catalog`). */
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { TITLE_ORDER } from "../title-order.ts";

export const VIDEO_SORTS = ["title", "year", "-year", "newest"] as const;
export type VideoSort = (typeof VIDEO_SORTS)[number];
/** The statuses a listing may ask for alone; each has its own indexes (projection.ts). */
export const LISTED_STATUSES = ["published", "unpublished"] as const;
export type VisibilityFilter = (typeof LISTED_STATUSES)[number] | "all";

export interface VideoListQuery {
  content_type?: string;
  genre?: string;
  year?: number;
  status: VisibilityFilter;
  sort: VideoSort;
  limit: number;
  offset: number;
}

const ORDER: Record<VideoSort, string> = {
  title: `${TITLE_ORDER}, id`,
  year: `release_year NULLS LAST, ${TITLE_ORDER}, id`,
  "-year": `release_year DESC NULLS LAST, ${TITLE_ORDER}, id`,
  newest: "created_at DESC, id",
};

const VIDEO_COLUMNS = `id::text, content_type, title, description, genre, release_year, rating,
  duration_sec, tags, show_id::text, show_title, season_number, episode_number, geo_restriction,
  status, version, created_at, updated_at`;

export type Row = Record<string, unknown>;

export async function listVideos(sql: SqlExecutor, query: VideoListQuery) {
  const conditions = ["status <> 'deleted'"];
  const params: unknown[] = [];
  const where = (condition: string, value: unknown) => {
    params.push(value);
    conditions.push(condition.replace("?", `$${params.length}`));
  };
  // A literal, not a parameter: a plan made for any value could not use the status's indexes,
  // which cover only the rows of their status. The value is one of LISTED_STATUSES.
  if (query.status !== "all") conditions.push(`status = '${listed(query.status)}'`);
  if (query.content_type) where("content_type = ?", query.content_type);
  if (query.genre) where("lower(genre) = lower(?)", query.genre);
  if (query.year) where("release_year = ?", query.year);
  const filter = conditions.join(" AND ");
  const [rows, [count]] = await Promise.all([
    sql.query<Row>(
      `SELECT ${VIDEO_COLUMNS} FROM catalog.videos WHERE ${filter}
       ORDER BY ${ORDER[query.sort]} LIMIT ${query.limit} OFFSET ${query.offset}`,
      params,
    ),
    sql.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM catalog.videos WHERE ${filter}`,
      params,
    ),
  ]);
  return { items: rows.map(present), total: count?.total ?? 0 };
}

function listed(status: string): string {
  if (!(LISTED_STATUSES as readonly string[]).includes(status)) {
    throw new RangeError(`"${status}" is not a status a listing may ask for`);
  }
  return status;
}

export async function findVideo(sql: SqlExecutor, id: string) {
  const [row] = await sql.query<Row>(
    `SELECT ${VIDEO_COLUMNS} FROM catalog.videos WHERE id = $1 AND status <> 'deleted'`,
    [id],
  );
  return row ? present(row) : undefined;
}

/** A show with its seasons in order, each with its episodes in order. */
export async function findShow(sql: SqlExecutor, id: string): Promise<Row | undefined> {
  const [show] = await sql.query<Row>(
    `SELECT id::text, title, description, genre, release_year, rating, tags, status, version,
            created_at, updated_at
     FROM catalog.shows WHERE id = $1 AND status <> 'deleted'`,
    [id],
  );
  if (!show) return undefined;
  const [seasons, episodes] = await Promise.all([
    sql.query<{ season_number: number; title: string | null }>(
      "SELECT season_number, title FROM catalog.seasons WHERE show_id = $1 ORDER BY season_number",
      [id],
    ),
    sql.query<Row & { season_number: number }>(
      `SELECT ${VIDEO_COLUMNS} FROM catalog.videos
       WHERE show_id = $1 AND status <> 'deleted' ORDER BY season_number, episode_number`,
      [id],
    ),
  ]);
  return {
    ...present(show),
    seasons: seasons.map((season) => ({
      ...present(season),
      episodes: episodes.filter((e) => e.season_number === season.season_number).map(present),
    })),
  };
}

/** Drops empty optional fields and renders times as ISO strings, as the command answers do. */
function present(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row)
      .filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0))
      .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]),
  );
}

/** What decides who may play a video: its status and geo restriction (null: none). */
export async function findPlaybackFacts(
  sql: SqlExecutor,
  id: string,
): Promise<{ status: string; geo_restriction: unknown } | undefined> {
  const [row] = await sql.query<{ status: string; geo_restriction: unknown }>(
    "SELECT status, geo_restriction FROM catalog.videos WHERE id = $1 AND status <> 'deleted'",
    [id],
  );
  return row;
}
