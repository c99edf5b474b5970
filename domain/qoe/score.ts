/**
 * The QoE score (0-100) with seed 001's weights: video start time 30 %, rebuffering 40 %, bitrate
 * 20 %, dropped frames 10 %. Each sub-score is 0-100 and linear between a "perfect" and a "worst"
 * point; a sub-score without data (no start in the window, say) is left out and the weights of
 * the others are scaled up to sum to 1.
 */

export const QOE_WEIGHTS = { vst: 0.3, rebuffering: 0.4, bitrate: 0.2, dropped_frames: 0.1 };

/** 100 at p95 ≤ 1 s, 0 at p95 ≥ 5 s (seed targets p95 < 2 s: 75; alert at 3 s: 50). */
export const vstScore = (p95Ms: number) => linear(p95Ms, 1_000, 5_000);
/** 100 without rebuffering, 0 at a ratio of 5 % or more (2 %, the critical alert: 60). */
export const rebufferingScore = (ratio: number) => linear(ratio, 0, 0.05);
/** 100 at or above the target bitrate (seed example: 5000 kbps), falling linearly to 0 at 0. */
export const bitrateScore = (avgKbps: number, targetKbps: number) => linear(avgKbps, targetKbps, 0);
/** 100 without dropped frames, 0 at 60 or more dropped per minute played (one a second). */
export const droppedFramesScore = (perMinute: number) => linear(perMinute, 0, 60);

export interface SubScores {
  vst: number | null;
  rebuffering: number | null;
  bitrate: number | null;
  dropped_frames: number | null;
}

export function qoeScore(scores: SubScores): number | null {
  let weighted = 0;
  let weights = 0;
  for (const [key, weight] of Object.entries(QOE_WEIGHTS)) {
    const score = scores[key as keyof SubScores];
    if (score === null) continue;
    weighted += weight * score;
    weights += weight;
  }
  return weights === 0 ? null : round(weighted / weights, 1);
}

/** 100 at `best`, 0 at `worst`, linear between and clamped (works for either direction). */
function linear(value: number, best: number, worst: number): number {
  const fraction = (value - best) / (worst - best);
  return round(100 * (1 - Math.min(1, Math.max(0, fraction))), 1);
}

export const round = (value: number, digits: number) => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};
