/**
 * The rate limiter port: a token bucket per key (a user, an IP, an API client). A bucket holds at
 * most `capacity` tokens, starts full, and regains `refillPerSecond` tokens a second; a request
 * takes `cost` tokens or is refused. So a client may burst up to `capacity` requests, then go on at
 * the refill rate.
 *
 * The limits are fixed when the adapter is built: one limiter per policy (e.g. telemetry ingest,
 * uploads). In memory each process counts alone; on Redis every API process shares the buckets.
 * Redis outages surface as BackingServiceUnavailableError (domain/ports/unavailable.ts).
 */

export interface RateLimits {
  /** The largest burst: tokens a full bucket holds (> 0). */
  capacity: number;
  /** Tokens regained per second (> 0). */
  refillPerSecond: number;
}

/** The outcome of one `take`; snake_case because it goes out as headers and problem documents. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Whole tokens left in the bucket after this take (0 when refused for want of tokens). */
  remaining: number;
  /** 0 when allowed; otherwise how long until `cost` tokens are there (Retry-After). */
  retry_after_ms: number;
}

export interface RateLimiter {
  /**
   * Takes `cost` tokens (default 1) from `key`'s bucket if it holds that many; a refused take
   * takes nothing. Concurrent takes never admit more than the bucket holds. A cost that is not a
   * positive number no greater than `capacity` can never succeed and throws a RangeError.
   */
  take(key: string, cost?: number): Promise<RateLimitDecision>;
  /**
   * Optional: one token from each bucket of `takes` (this limiter's or others'), in order, stopping
   * at the first refusal, as `take` one after the other would, but in one step; the decisions made,
   * the refusal last. Undefined when this limiter's store does not hold all those buckets (then
   * take them one by one: adapters/rate-limiter/take-in-order.ts).
   */
  takeInOrder?(takes: readonly BucketTake[]): Promise<RateLimitDecision[] | undefined>;
}

/** One token from `key`'s bucket of `limiter`. */
export interface BucketTake {
  limiter: RateLimiter;
  key: string;
}
