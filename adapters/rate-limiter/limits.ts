/**
 * Checks every RateLimiter adapter applies, so a bad policy or cost fails the same way whichever
 * store keeps the buckets.
 */
import type { RateLimits } from "../../domain/ports/rate-limiter.ts";

/** Throws a RangeError naming the bad limit; a policy is fixed at start, so this is a bug. */
export function checkLimits({ capacity, refillPerSecond }: RateLimits): void {
  if (!(Number.isFinite(capacity) && capacity > 0)) {
    throw new RangeError(`rate limit capacity must be a positive number, got ${capacity}`);
  }
  if (!(Number.isFinite(refillPerSecond) && refillPerSecond > 0)) {
    throw new RangeError(
      `rate limit refillPerSecond must be a positive number, got ${refillPerSecond}`,
    );
  }
}

/** The cost a take asks for; one the bucket could never hold would be refused forever. */
export function checkCost(cost: number, { capacity }: RateLimits): number {
  if (!(Number.isFinite(cost) && cost > 0 && cost <= capacity)) {
    throw new RangeError(`a take must cost more than 0 and at most ${capacity}, got ${cost}`);
  }
  return cost;
}

/** Milliseconds until a bucket with `tokens` holds `cost`, rounded up so a retry then succeeds. */
export function retryAfterMs(tokens: number, cost: number, refillPerSecond: number): number {
  return Math.ceil(((cost - tokens) / refillPerSecond) * 1000);
}

/** How long an untouched bucket takes to fill from empty: after that it equals a new one. */
export function fillTimeMs({ capacity, refillPerSecond }: RateLimits): number {
  return Math.ceil((capacity / refillPerSecond) * 1000);
}
