/**
 * Several buckets, of one or more limiters, taken from in order: what a request that passes a limit
 * per address and one per user needs. The store does it in one step when it can (Redis: one
 * script instead of a round trip per bucket), else the buckets are taken one by one.
 */
import type { BucketTake, RateLimitDecision } from "../../domain/ports/rate-limiter.ts";

/** The decisions made, in order, up to and including the first refusal. */
export async function takeInOrder(takes: readonly BucketTake[]): Promise<RateLimitDecision[]> {
  if (takes.length === 0) return [];
  const together = await takes[0]!.limiter.takeInOrder?.(takes);
  if (together) return together;
  const decisions: RateLimitDecision[] = [];
  for (const { limiter, key } of takes) {
    const decision = await limiter.take(key);
    decisions.push(decision);
    if (!decision.allowed) break;
  }
  return decisions;
}
