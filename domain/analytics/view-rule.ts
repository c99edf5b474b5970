/**
 * When a playback session counts as a view: it reached its first frame and played at least
 * `minPlayedSec` seconds (cumulative played time, pauses and rebuffering excluded). A session counts
 * at most once, at the event time of the event that made it qualify, whatever follows.
 */
import type { SessionSummary } from "../playback/session.ts";

export interface ViewRule {
  /** Seconds a session must have played to count (default 10). */
  minPlayedSec: number;
}

export const DEFAULT_VIEW_RULE: ViewRule = { minPlayedSec: 10 };

export function isView(session: SessionSummary, rule: ViewRule): boolean {
  return session.first_frame_at !== null && session.played_ms >= rule.minPlayedSec * 1000;
}

/**
 * The moment a session became a view, when the event that moved it from `before` to `after`
 * made it qualify; undefined otherwise (not yet, or counted already).
 */
export function becameViewAt(
  before: SessionSummary | undefined,
  after: SessionSummary,
  eventTime: string,
  rule: ViewRule,
): string | undefined {
  if (before && isView(before, rule)) return undefined;
  return isView(after, rule) ? eventTime : undefined;
}
