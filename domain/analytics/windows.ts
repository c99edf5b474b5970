/**
 * The sliding windows of the leaderboards and video stats, and how each is summed from buckets.
 * A window is the last `buckets` buckets of its granularity, the current (partial) one included, so
 * a view leaves it within one bucket of reaching the window's length: the hour board to the minute,
 * day and week to the hour, month and year to the day. The SQL aggregates and the Redis boards
 * use the same buckets, so either answers the same.
 */
export const WINDOWS = ["hour", "day", "week", "month", "year", "all"] as const;
export type Window = (typeof WINDOWS)[number];
export type Granularity = "minute" | "hour" | "day";

const GRANULARITY_MS: Record<Granularity, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

const PLANS: Record<Exclude<Window, "all">, { granularity: Granularity; buckets: number }> = {
  hour: { granularity: "minute", buckets: 60 },
  day: { granularity: "hour", buckets: 24 },
  week: { granularity: "hour", buckets: 168 },
  month: { granularity: "day", buckets: 30 },
  year: { granularity: "day", buckets: 365 },
};

export interface WindowPlan {
  granularity: Granularity;
  /** Start (epoch ms) of the oldest bucket in the window. */
  from: number;
  /** Start of every bucket in the window, oldest first. */
  starts: number[];
}

/** The buckets that make up `window` at `now` (epoch ms); undefined for all time. */
export function windowPlan(window: Window, now: number): WindowPlan | undefined {
  if (window === "all") return undefined;
  const { granularity, buckets } = PLANS[window];
  const size = GRANULARITY_MS[granularity];
  const current = bucketStart(granularity, now);
  const starts = Array.from({ length: buckets }, (_, i) => current - (buckets - 1 - i) * size);
  return { granularity, from: starts[0]!, starts };
}

/** Start (epoch ms, UTC) of the bucket of `granularity` holding `at`. */
export function bucketStart(granularity: Granularity, at: number): number {
  const size = GRANULARITY_MS[granularity];
  return Math.floor(at / size) * size;
}

/** How long a bucket must be kept to serve every window that reads it. */
export function retentionMs(granularity: Granularity): number {
  const longest = Math.max(
    ...Object.values(PLANS).filter((p) => p.granularity === granularity).map((p) => p.buckets),
  );
  return (longest + 1) * GRANULARITY_MS[granularity];
}
