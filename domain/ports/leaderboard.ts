/**
 * Hot leaderboards kept outside SQL (Redis sorted sets in production): views counted per content in
 * time buckets, read back as top-K over a sliding window. `board` names one generation of the
 * projection that writes them, so a rebuild writes beside the live boards.
 */
import type { Window } from "../analytics/windows.ts";

/** A view as counted by the view rule, with the telemetry record that made it count. */
export interface CountedView {
  session_id: string;
  content_id: string;
  /** Event time of the view (ISO 8601). */
  viewed_at: string;
  /** Where its record sits in the telemetry log: writes are guarded by it. */
  partition: number;
  offset: string;
}

export interface RankedContent {
  content_id: string;
  views: number;
}

export interface LeaderboardStore {
  /**
   * Adds the views to the boards. A view at or below the position already applied for its
   * partition is skipped, so applying a batch again changes nothing. `now` (epoch ms) decides which
   * buckets are too old to keep.
   */
  record(board: string, views: readonly CountedView[], now: number): Promise<void>;
  /** The `k` most viewed contents in `window` at `now`, most viewed first (ties: by id, descending). */
  top(board: string, window: Window, k: number, now: number): Promise<RankedContent[]>;
  /** Removes every board of a retired generation; idempotent. */
  drop(board: string): Promise<void>;
}
