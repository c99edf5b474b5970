/**
 * Token buckets in this process's memory, for the embedded single-process profile. Several API
 * processes would each grant the full rate; they share buckets through Redis instead.
 */
import type {
  RateLimitDecision,
  RateLimiter,
  RateLimits,
} from "../../domain/ports/rate-limiter.ts";
import { checkCost, checkLimits, fillTimeMs, retryAfterMs } from "../rate-limiter/limits.ts";

interface Bucket {
  tokens: number;
  /** When `tokens` was computed (ms on the limiter's clock). */
  updatedAt: number;
}

export interface MemoryRateLimiterOptions {
  /** Most buckets kept at once (default 100 000); the least recently used go first beyond it. */
  maxBuckets?: number;
  /** A monotonic clock in ms; tests pass their own. */
  now?: () => number;
}

export class MemoryRateLimiter implements RateLimiter {
  /** Key → bucket, least recently used first: each take moves its key to the end. */
  readonly #buckets = new Map<string, Bucket>();
  readonly #fillTimeMs: number;
  readonly #maxBuckets: number;
  readonly #now: () => number;

  constructor(private readonly limits: RateLimits, options: MemoryRateLimiterOptions = {}) {
    checkLimits(limits);
    this.#fillTimeMs = fillTimeMs(limits);
    this.#maxBuckets = options.maxBuckets ?? 100_000;
    if (!(this.#maxBuckets >= 1)) throw new RangeError("maxBuckets must be at least 1");
    // performance.now() does not jump with the wall clock, so a clock change grants no burst.
    this.#now = options.now ?? (() => performance.now());
  }

  /** How many buckets are held now (for tests and metrics). */
  get size(): number {
    return this.#buckets.size;
  }

  take(key: string, cost = 1): Promise<RateLimitDecision> {
    checkCost(cost, this.limits);
    const now = this.#now();
    const bucket = this.#refilled(key, now);
    const allowed = bucket.tokens >= cost;
    if (allowed) bucket.tokens -= cost;
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    this.#evict(now);
    return Promise.resolve({
      allowed,
      remaining: Math.floor(bucket.tokens),
      retry_after_ms: allowed ? 0 : retryAfterMs(bucket.tokens, cost, this.limits.refillPerSecond),
    });
  }

  #refilled(key: string, now: number): Bucket {
    const bucket = this.#buckets.get(key);
    if (!bucket) return { tokens: this.limits.capacity, updatedAt: now };
    const elapsedMs = Math.max(0, now - bucket.updatedAt);
    return {
      tokens: Math.min(
        this.limits.capacity,
        bucket.tokens + (elapsedMs / 1000) * this.limits.refillPerSecond,
      ),
      updatedAt: now,
    };
  }

  /**
   * Drops buckets untouched for a whole fill time: they are full, so forgetting them changes no
   * answer. Past `maxBuckets` the least recently used go even if not full (that key gets a fresh
   * burst), so memory stays bounded under a flood of distinct keys.
   */
  #evict(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      const idle = now - bucket.updatedAt >= this.#fillTimeMs;
      if (!idle && this.#buckets.size <= this.#maxBuckets) break;
      this.#buckets.delete(key);
    }
  }
}
