/**
 * Writes a batch's entries in one statement, merging each with the stored row by the rule of
 * domain/watch-history/watch-entry.ts (mergeEntries), in SQL: the position moves only to a later
 * event time (at the same instant, to the further position), everything else only grows. So a
 * replayed record changes nothing, an older one cannot move a position back, and two partitions
 * writing the same row at once both count (the conflict update sees the committed row). Rows are
 * written in key order, so two batches touching the same rows lock them in the same order.
 */
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import type { WatchEntry } from "../../domain/watch-history/watch-entry.ts";

const NEWER = `excluded.position_at IS NOT NULL AND (
  entries.position_at IS NULL
  OR (excluded.position_at, excluded.position_sec) > (entries.position_at, entries.position_sec))`;
const FROM_NEWER = ["position_sec", "position_at", "session_id", "device_id"];
const LARGEST = ["duration_sec", "furthest_sec", "ended_at", "last_watched_at"];

export async function upsertEntries(
  tx: SqlExecutor,
  table: string,
  entries: readonly WatchEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const updates = [
    ...FROM_NEWER.map((c) => `${c} = CASE WHEN ${NEWER} THEN excluded.${c} ELSE entries.${c} END`),
    ...LARGEST.map((c) => `${c} = greatest(entries.${c}, excluded.${c})`),
  ];
  await tx.query(
    `INSERT INTO ${table} AS entries
     SELECT * FROM jsonb_populate_recordset(null::${table}, $1)
     ORDER BY user_id, profile_id, content_id
     ON CONFLICT (user_id, profile_id, content_id) DO UPDATE SET ${updates.join(", ")}`,
    [JSON.stringify(entries.map(rowOf))],
  );
}

function rowOf(entry: WatchEntry) {
  const iso = (ms: number | undefined) => ms === undefined ? null : new Date(ms).toISOString();
  return {
    user_id: entry.userId,
    profile_id: entry.profileId,
    content_id: entry.contentId,
    position_sec: entry.position?.positionSec ?? null,
    position_at: iso(entry.position?.atMs),
    session_id: entry.position?.sessionId ?? null,
    device_id: entry.position?.deviceId ?? null,
    duration_sec: entry.durationSec ?? null,
    furthest_sec: entry.furthestSec ?? null,
    ended_at: iso(entry.endedAtMs),
    last_watched_at: iso(entry.lastWatchedAtMs),
  };
}
