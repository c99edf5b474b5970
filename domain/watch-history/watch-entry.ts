/**
 * One viewer's progress through one item, as telemetry and position writes build it, and the rule
 * that combines two of them. The combination is commutative, associative and idempotent (a
 * last-writer-wins position beside running maxima), so records may arrive in any order, on any
 * partition, any number of times, and the entry comes out the same.
 */

/** The last position, its event time, and where it came from. */
export interface PositionMark {
  positionSec: number;
  atMs: number;
  sessionId?: string;
  deviceId?: string;
}

export interface WatchEntry {
  userId: string;
  profileId: string;
  contentId: string;
  /** Last write by event time wins; an older event time never moves it back. */
  position?: PositionMark;
  /** The longest duration reported (players of one item report the same one). */
  durationSec?: number;
  /** The furthest position ever reported, for the completed rule. */
  furthestSec?: number;
  /** The event time of the latest `ended`. */
  endedAtMs?: number;
  /** The latest event time of any record that counted. */
  lastWatchedAtMs: number;
}

/**
 * Whether `candidate` replaces `current`: a later event time wins; at the same instant the further
 * position wins, so the outcome does not depend on which record was applied first.
 */
export function isNewer(candidate: PositionMark | undefined, current: PositionMark | undefined) {
  if (!candidate) return false;
  if (!current) return true;
  return candidate.atMs !== current.atMs
    ? candidate.atMs > current.atMs
    : candidate.positionSec > current.positionSec;
}

/** Two views of the same viewer and item combined (entries of different keys are not merged). */
export function mergeEntries(a: WatchEntry, b: WatchEntry): WatchEntry {
  return dropUndefined({
    userId: a.userId,
    profileId: a.profileId,
    contentId: a.contentId,
    position: isNewer(b.position, a.position) ? b.position : a.position,
    durationSec: maximum(a.durationSec, b.durationSec),
    furthestSec: maximum(a.furthestSec, b.furthestSec),
    endedAtMs: maximum(a.endedAtMs, b.endedAtMs),
    lastWatchedAtMs: Math.max(a.lastWatchedAtMs, b.lastWatchedAtMs),
  });
}

/** The entries of a batch, one per viewer and item (merged in whatever order they came). */
export function mergeByKey(entries: Iterable<WatchEntry>): WatchEntry[] {
  const merged = new Map<string, WatchEntry>();
  for (const entry of entries) {
    const key = JSON.stringify([entry.userId, entry.profileId, entry.contentId]);
    const seen = merged.get(key);
    merged.set(key, seen ? mergeEntries(seen, entry) : entry);
  }
  return [...merged.values()];
}

function maximum(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
