/**
 * Slows down password guessing per account: every login attempt takes one token from the e-mail's
 * bucket and a failed one takes FAILURE_COST more, so a user who types the right password now and
 * then never notices, while repeated failures soon wait for the bucket to refill (429 with
 * Retry-After). A per-address limit sits in front of the sign-in routes (adapters/http/access.ts).
 */
import type { RateLimiter } from "../../domain/ports/rate-limiter.ts";
import { RateLimitedError } from "../../domain/shared/errors.ts";

/** The bucket policy the per-account limiter is to be built with. */
export const LOGIN_LIMITS = { capacity: 10, refillPerSecond: 0.2 };
/** Sign-in attempts (login, register) per client address, whatever the account. */
export const LOGIN_ADDRESS_LIMITS = { capacity: 30, refillPerSecond: 0.5 };
/** Two failures in a row use up a full bucket: then one guess per 25 seconds. */
export const FAILURE_COST = 4;

export interface LoginThrottle {
  /** Before checking the password; throws RateLimitedError when this account is cooling down. */
  attempt(email: string): Promise<void>;
  failed(email: string): Promise<void>;
}

export function loginThrottle(perAccount: RateLimiter): LoginThrottle {
  return {
    async attempt(email) {
      const decision = await perAccount.take(email);
      if (!decision.allowed) {
        throw new RateLimitedError(
          "too many login attempts for this account; retry after the time in Retry-After",
          Math.max(1, Math.ceil(decision.retry_after_ms / 1000)),
        );
      }
    },
    async failed(email) {
      // One token at a time: a bucket holding fewer than FAILURE_COST still ends up empty (a take
      // it cannot pay in full would take nothing).
      for (let i = 0; i < FAILURE_COST; i++) {
        if (!(await perAccount.take(email)).allowed) return;
      }
    },
  };
}
