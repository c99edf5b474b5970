import type { Context, MiddlewareHandler } from "hono";
import type { RateLimiter } from "../../../domain/ports/rate-limiter.ts";
import { ProblemError, titleOf } from "../problems.ts";

export interface RateLimitOptions {
  limiter: RateLimiter;
  /** The bucket this request draws from ("user:42", "ip:10.0.0.1"); none: not limited here. */
  keyOf: (c: Context) => string | undefined;
  /** Named in the 429 detail: "per user", "per address". */
  scope: string;
}

/** A token bucket per key; an empty bucket answers 429 with the seconds until it has a token. */
export const rateLimit = ({ limiter, keyOf, scope }: RateLimitOptions): MiddlewareHandler =>
  async function rateLimit(c, next) {
    const key = keyOf(c);
    if (key !== undefined) {
      const decision = await limiter.take(key);
      if (!decision.allowed) {
        throw new ProblemError({
          status: 429,
          title: titleOf(429),
          detail: `too many requests ${scope}; retry after the time in Retry-After`,
          retryAfter: Math.max(1, Math.ceil(decision.retry_after_ms / 1000)),
        });
      }
    }
    await next();
  };
