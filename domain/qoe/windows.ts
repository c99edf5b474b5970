/**
 * Tumbling windows by event time. Each log partition keeps a watermark, the latest event time it
 * has carried; a window closes once the watermark passes its end plus the allowed lateness. An
 * event for a closed window is not added to it and counts in the window's `late_dropped`.
 * Partitions replay in the same order, so a rebuild reaches the same figures.
 */

export const WINDOW_SIZES = { "1m": 60, "5m": 300 } as const;
export type WindowName = keyof typeof WINDOW_SIZES;
export const WINDOW_NAMES = Object.keys(WINDOW_SIZES) as WindowName[];

/** Start (epoch ms) of the window of `sizeSec` seconds that holds `atMs`. */
export function windowStart(atMs: number, sizeSec: number): number {
  const size = sizeSec * 1000;
  return Math.floor(atMs / size) * size;
}

/** Whether the window starting at `startMs` is closed for a partition at `watermarkMs`. */
export function isClosed(
  startMs: number,
  sizeSec: number,
  watermarkMs: number,
  allowedLatenessSec: number,
): boolean {
  return startMs + (sizeSec + allowedLatenessSec) * 1000 <= watermarkMs;
}
