/**
 * The positions cache port: viewers' watch entries in a fast shared store (Redis in the production
 * profile) in front of the watch history read model, which stays the durable truth. Entries are
 * combined by the watch-entry rule (domain/watch-history/watch-entry.ts: the last position by
 * event time, running maxima), atomically per key, so writers in any order and any number of
 * processes leave the same entry, and an older write never moves a position back.
 *
 * The write path records what it accepted before the read model has it; an entry created that way
 * lacks what only the read model knows (how far the viewer got before, when it ended), so it is
 * incomplete until a read fills it from the read model. Adapters throw
 * BackingServiceUnavailableError in an outage; callers then fall back to the read model.
 */
import type { Viewer } from "../watch-history/viewer.ts";
import type { WatchEntry } from "../watch-history/watch-entry.ts";

export interface CachedEntry {
  entry: WatchEntry;
  /** The read model's entry has been merged in: the cache may answer alone. */
  complete: boolean;
}

export interface PositionsCache {
  /** Merges entries of accepted records in; an entry not cached yet is created incomplete. */
  record(entries: readonly WatchEntry[]): Promise<void>;
  /** Merges the read model's entry in and marks the key complete. */
  fill(entry: WatchEntry): Promise<void>;
  /** The cached entry, or undefined on a miss. */
  get(viewer: Viewer, contentId: string): Promise<CachedEntry | undefined>;
}
