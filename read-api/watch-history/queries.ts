/**
 * Queries over the watch history read model (views in schema `watch_history`), joined on the read
 * side with the catalog read model for titles, durations and episode order. The projections stay
 * independent; only these reads combine them.
 */
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import type { ResumeRules } from "../../domain/watch-history/resume-rules.ts";
import type { Viewer } from "../../domain/watch-history/viewer.ts";
import type { WatchEntry } from "../../domain/watch-history/watch-entry.ts";

/** A watch history row with what the catalog knows of its item (nulls when it knows nothing). */
export interface EntryRow {
  content_id: string;
  position_sec: number | null;
  position_at: Date | null;
  session_id: string | null;
  device_id: string | null;
  /** The duration players reported, else the catalog's. */
  duration_sec: number | null;
  furthest_sec: number | null;
  ended_at: Date | null;
  /** Null only for an episode the viewer never watched (next up). */
  last_watched_at: Date | null;
  video_id: string | null;
  title: string | null;
  content_type: string | null;
  show_id: string | null;
  show_title: string | null;
  season_number: number | null;
  episode_number: number | null;
  status: string | null;
}

// Content ids are free text in telemetry; catalog ids are UUIDs. The guarded cast lets the join
// use the catalog's primary key and skips ids that are not UUIDs instead of failing on them.
const VIDEO_OF_ENTRY = `catalog.videos v ON v.id = (CASE
  WHEN e.content_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
  THEN e.content_id::uuid END) AND v.status <> 'deleted'`;
const ENTRY_COLUMNS = `e.position_sec, e.position_at, e.session_id, e.device_id,
  coalesce(e.duration_sec, v.duration_sec) AS duration_sec, e.furthest_sec, e.ended_at,
  e.last_watched_at, v.id::text AS video_id, v.title, v.content_type, v.show_id::text,
  v.show_title, v.season_number, v.episode_number, v.status`;
const RECENT_FIRST = "ORDER BY e.last_watched_at DESC, e.content_id";

/**
 * Published items the viewer can resume, most recently watched first. The condition is the one of
 * resumePoint (domain/watch-history/resume-rules.ts), with the same arithmetic.
 */
export function continueWatching(
  sql: SqlExecutor,
  viewer: Viewer,
  rules: ResumeRules,
  limit: number,
): Promise<EntryRow[]> {
  const duration = "coalesce(e.duration_sec, v.duration_sec)";
  return sql.query<EntryRow>(
    `SELECT e.content_id, ${ENTRY_COLUMNS} FROM watch_history.entries e JOIN ${VIDEO_OF_ENTRY}
     WHERE e.user_id = $1 AND e.profile_id = $2 AND v.status = 'published'
       AND e.position_sec IS NOT NULL
       AND (e.ended_at IS NULL OR e.ended_at < e.position_at)
       AND ${duration} > 0 AND ${duration} >= $3
       AND e.position_sec * 100 >= $4 * ${duration}
       AND e.position_sec * 100 <= $5 * ${duration}
     ${RECENT_FIRST} LIMIT $6`,
    [
      viewer.userId,
      viewer.profileId,
      rules.minDurationSec,
      rules.minPercent,
      rules.maxPercent,
      limit,
    ],
  );
}

/** Everything the viewer watched, most recent first, a page at a time, with the total. */
export async function watchHistory(
  sql: SqlExecutor,
  viewer: Viewer,
  page: { limit: number; offset: number },
): Promise<{ rows: EntryRow[]; total: number }> {
  const ids = [viewer.userId, viewer.profileId];
  const [rows, [count]] = await Promise.all([
    sql.query<EntryRow>(
      `SELECT e.content_id, ${ENTRY_COLUMNS} FROM watch_history.entries e LEFT JOIN ${VIDEO_OF_ENTRY}
       WHERE e.user_id = $1 AND e.profile_id = $2 ${RECENT_FIRST} LIMIT $3 OFFSET $4`,
      [...ids, page.limit, page.offset],
    ),
    sql.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM watch_history.entries
       WHERE user_id = $1 AND profile_id = $2`,
      ids,
    ),
  ]);
  return { rows, total: count?.total ?? 0 };
}

export async function findEntry(
  sql: SqlExecutor,
  viewer: Viewer,
  contentId: string,
): Promise<EntryRow | undefined> {
  const [row] = await sql.query<EntryRow>(
    `SELECT e.content_id, ${ENTRY_COLUMNS} FROM watch_history.entries e LEFT JOIN ${VIDEO_OF_ENTRY}
     WHERE e.user_id = $1 AND e.profile_id = $2 AND e.content_id = $3`,
    [viewer.userId, viewer.profileId, contentId],
  );
  return row;
}

/** The viewer's stored entry as the read model has it (no catalog facts), for the positions cache. */
export async function storedEntry(
  sql: SqlExecutor,
  viewer: Viewer,
  contentId: string,
): Promise<WatchEntry | undefined> {
  const [row] = await sql.query<StoredRow>(
    `SELECT position_sec, position_at, session_id, device_id, duration_sec, furthest_sec,
       ended_at, last_watched_at FROM watch_history.entries
     WHERE user_id = $1 AND profile_id = $2 AND content_id = $3`,
    [viewer.userId, viewer.profileId, contentId],
  );
  if (!row) return undefined;
  const entry: WatchEntry = {
    ...viewer,
    contentId,
    lastWatchedAtMs: row.last_watched_at.getTime(),
  };
  if (row.position_sec !== null && row.position_at !== null) {
    entry.position = { positionSec: row.position_sec, atMs: row.position_at.getTime() };
    if (row.session_id !== null) entry.position.sessionId = row.session_id;
    if (row.device_id !== null) entry.position.deviceId = row.device_id;
  }
  if (row.duration_sec !== null) entry.durationSec = row.duration_sec;
  if (row.furthest_sec !== null) entry.furthestSec = row.furthest_sec;
  if (row.ended_at !== null) entry.endedAtMs = row.ended_at.getTime();
  return entry;
}

type StoredRow =
  & Pick<
    EntryRow,
    "position_sec" | "position_at" | "session_id" | "device_id" | "duration_sec" | "furthest_sec"
  >
  & { ended_at: Date | null; last_watched_at: Date };

/** What the catalog knows of an item: EntryRow's catalog columns (nulls when nothing). */
export type VideoFacts =
  & Pick<
    EntryRow,
    | "video_id"
    | "title"
    | "content_type"
    | "show_id"
    | "show_title"
    | "season_number"
    | "episode_number"
    | "status"
  >
  & { catalog_duration_sec: number | null };

export async function videoFacts(sql: SqlExecutor, contentId: string): Promise<VideoFacts> {
  const [row] = await sql.query<VideoFacts>(
    `SELECT v.duration_sec AS catalog_duration_sec, v.id::text AS video_id, v.title,
       v.content_type, v.show_id::text, v.show_title, v.season_number, v.episode_number, v.status
     FROM (SELECT $1::text AS content_id) e LEFT JOIN ${VIDEO_OF_ENTRY}`,
    [contentId],
  );
  return row!;
}

/**
 * The show's episodes in order, each with the viewer's entry (entry columns null when unwatched),
 * or undefined when there is no such show.
 */
export async function episodesWithProgress(
  sql: SqlExecutor,
  viewer: Viewer,
  showId: string,
): Promise<EntryRow[] | undefined> {
  const [show] = await sql.query(
    "SELECT 1 FROM catalog.shows WHERE id = $1 AND status <> 'deleted'",
    [showId],
  );
  if (!show) return undefined;
  return await sql.query<EntryRow>(
    `SELECT v.id::text AS content_id, ${ENTRY_COLUMNS}
     FROM catalog.videos v LEFT JOIN watch_history.entries e
       ON e.user_id = $2 AND e.profile_id = $3 AND e.content_id = v.id::text
     WHERE v.show_id = $1 AND v.status <> 'deleted'
       AND v.season_number IS NOT NULL AND v.episode_number IS NOT NULL
     ORDER BY v.season_number, v.episode_number`,
    [showId, viewer.userId, viewer.profileId],
  );
}
