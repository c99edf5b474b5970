/**
 * The viewer's position in an item through the positions cache (production profile): the entry
 * from Redis when it is complete; on a miss (or an entry only the write path has filled so far)
 * from the read model, merged with what the cache holds and put back complete. The catalog's facts
 * come from the catalog read model as in every other read. A cache outage reads the read model.
 */
import type { PositionsCache } from "../../domain/ports/positions-cache.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { BackingServiceUnavailableError } from "../../domain/ports/unavailable.ts";
import type { Viewer } from "../../domain/watch-history/viewer.ts";
import { mergeEntries, type WatchEntry } from "../../domain/watch-history/watch-entry.ts";
import { type EntryRow, findEntry, storedEntry, type VideoFacts, videoFacts } from "./queries.ts";

export type FindPosition = (viewer: Viewer, contentId: string) => Promise<EntryRow | undefined>;

export function positionsThroughCache(sql: SqlExecutor, cache: PositionsCache): FindPosition {
  return async (viewer, contentId) => {
    let entry: WatchEntry | undefined;
    try {
      entry = await entryThroughCache(sql, cache, viewer, contentId);
    } catch (error) {
      if (!(error instanceof BackingServiceUnavailableError)) throw error;
      return await findEntry(sql, viewer, contentId);
    }
    return entry && rowOf(entry, await videoFacts(sql, contentId));
  };
}

async function entryThroughCache(
  sql: SqlExecutor,
  cache: PositionsCache,
  viewer: Viewer,
  contentId: string,
): Promise<WatchEntry | undefined> {
  const cached = await cache.get(viewer, contentId);
  if (cached?.complete) return cached.entry;
  const stored = await storedEntry(sql, viewer, contentId);
  const entry = stored && cached ? mergeEntries(stored, cached.entry) : stored ?? cached?.entry;
  if (entry) await cache.fill(entry);
  return entry;
}

/** The row findEntry would give for this entry and catalog facts. */
function rowOf(entry: WatchEntry, facts: VideoFacts): EntryRow {
  const { catalog_duration_sec, ...video } = facts;
  const date = (ms: number | undefined) => ms === undefined ? null : new Date(ms);
  return {
    content_id: entry.contentId,
    position_sec: entry.position?.positionSec ?? null,
    position_at: date(entry.position?.atMs),
    session_id: entry.position?.sessionId ?? null,
    device_id: entry.position?.deviceId ?? null,
    duration_sec: entry.durationSec ?? catalog_duration_sec,
    furthest_sec: entry.furthestSec ?? null,
    ended_at: date(entry.endedAtMs),
    last_watched_at: date(entry.lastWatchedAtMs),
    ...video,
  };
}
