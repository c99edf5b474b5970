/**
 * Tumbling windows by event time. The read model keeps 1-minute cells; a 5-minute window is the
 * union of its five minutes (counters add up, sketches merge, viewers are counted distinct over
 * them). Each log partition keeps a watermark, the latest event time it has carried; a minute
 * closes once the watermark passes its end plus the allowed lateness. An event for a closed minute
 * is not added to it and counts in its `late_dropped`. Partitions replay in the same order, so a
 * rebuild reaches the same figures.
 */

/** The read model's cell: one minute. */
export const CELL_SEC = 60;
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
