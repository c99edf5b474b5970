import type { Context, MiddlewareHandler } from "hono";
import type { RateLimiter } from "../../../domain/ports/rate-limiter.ts";
import { takeInOrder } from "../../rate-limiter/take-in-order.ts";
import { ProblemError, titleOf } from "../problems.ts";

export interface RateLimitOptions {
  limiter: RateLimiter;
  /** The bucket this request draws from ("user:42", "ip:10.0.0.1"); none: not limited here. */
  keyOf: (c: Context) => string | undefined;
  /** Named in the 429 detail: "per user", "per address". */
  scope: string;
}

/** A token bucket per key; an empty bucket answers 429 with the seconds until it has a token. */
export const rateLimit = (options: RateLimitOptions): MiddlewareHandler => rateLimits([options]);

/**
 * Several limits (per address, then per user), taken in order in one step where the store allows;
 * the first that refuses answers 429, and the ones after it are not taken from.
 */
export const rateLimits = (limits: readonly RateLimitOptions[]): MiddlewareHandler =>
  async function rateLimit(c, next) {
    const applying = limits.flatMap((limit) => {
      const key = limit.keyOf(c);
      return key === undefined ? [] : [{ ...limit, key }];
    });
    const decisions = await takeInOrder(applying);
    const last = decisions.at(-1);
    if (last && !last.allowed) {
      throw new ProblemError({
        status: 429,
        title: titleOf(429),
        detail: `too many requests ${applying[decisions.length - 1]!.scope}; ` +
          "retry after the time in Retry-After",
        retryAfter: Math.max(1, Math.ceil(last.retry_after_ms / 1000)),
      });
    }
    await next();
  };
