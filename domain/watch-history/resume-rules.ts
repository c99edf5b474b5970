/**
 * When a viewer is offered to resume, and when an item counts as watched. The rules users know from
 * other services (Jellyfin's defaults): no resume before 5 % or after 90 % watched, none for items
 * under 5 minutes; past 90 %, or once playback reached its end, the item is completed.
 *
 * The rules are applied when the read model is read, not when it is written, so changing them is a
 * configuration change, not a rebuild.
 */

export interface ResumeRules {
  /** Below this share watched the item starts from the beginning. */
  minPercent: number;
  /** Above this share watched the item is completed and starts from the beginning. */
  maxPercent: number;
  /** Items shorter than this always start from the beginning. */
  minDurationSec: number;
}

export const DEFAULT_RESUME_RULES: ResumeRules = {
  minPercent: 5,
  maxPercent: 90,
  minDurationSec: 300,
};

/** The defaults with the given overrides, checked for sense (a bad value is a start-up error). */
export function resumeRulesFrom(overrides: Partial<ResumeRules> = {}): ResumeRules {
  const rules = { ...DEFAULT_RESUME_RULES, ...overrides };
  const { minPercent, maxPercent, minDurationSec } = rules;
  if (!(minPercent >= 0 && minPercent < maxPercent && maxPercent <= 100)) {
    throw new RangeError(
      `resume rules need 0 <= min percent < max percent <= 100, got ${minPercent} and ${maxPercent}`,
    );
  }
  if (!(minDurationSec >= 0)) {
    throw new RangeError(`the minimum duration must not be negative, got ${minDurationSec}`);
  }
  return rules;
}

/** What the rules need to know of one viewer's progress through one item. */
export interface Progress {
  /** The last position (by event time), if one was reported. */
  positionSec?: number;
  positionAtMs?: number;
  /** The furthest position ever reported. */
  furthestSec?: number;
  /** When playback last reached the end (an `ended` event). */
  endedAtMs?: number;
  /** The item's length, when known. */
  durationSec?: number;
}

export function percentOf(positionSec: number | undefined, durationSec: number | undefined) {
  if (positionSec === undefined || !durationSec) return undefined;
  return Math.min(100, (positionSec / durationSec) * 100);
}

/** Watched to the end once, or further than the resume limit at some point. */
export function isCompleted(progress: Progress, rules: ResumeRules): boolean {
  if (progress.endedAtMs !== undefined) return true;
  const { furthestSec, durationSec } = progress;
  return furthestSec !== undefined && !!durationSec &&
    furthestSec * 100 > rules.maxPercent * durationSec;
}

/**
 * Where playback resumes, or undefined to start from the beginning. Only the last position
 * counts: a viewer who finished an episode and started it again resumes the rewatch.
 */
export function resumePoint(progress: Progress, rules: ResumeRules): number | undefined {
  const { positionSec, positionAtMs, endedAtMs, durationSec } = progress;
  if (positionSec === undefined || positionAtMs === undefined) return undefined;
  // Playback reached the end after (or with) this position: the item is done, not paused.
  if (endedAtMs !== undefined && endedAtMs >= positionAtMs) return undefined;
  if (!durationSec || durationSec < rules.minDurationSec) return undefined;
  // Products rather than a quotient: the same arithmetic as the continue-watching query, so both
  // agree on the boundaries.
  const share = positionSec * 100;
  if (share < rules.minPercent * durationSec || share > rules.maxPercent * durationSec) {
    return undefined;
  }
  return positionSec;
}
