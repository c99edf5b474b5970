/**
 * The behaviour every RateLimiter adapter must show, as test steps; each adapter's test file runs
 * it against a real store. Keys are unique per run. Time is real (Redis keeps its own clock), so
 * refill rates are fast and the bounds allow for the time the calls themselves take.
 */
import assert from "node:assert/strict";
import type { RateLimiter, RateLimits } from "../../domain/ports/rate-limiter.ts";
import { takeInOrder } from "./take-in-order.ts";

/** Builds a limiter with these limits; the contract asks for one per step. */
export type RateLimiterFactory = (limits: RateLimits) => RateLimiter | Promise<RateLimiter>;

export async function runRateLimiterContract(
  t: Deno.TestContext,
  open: RateLimiterFactory,
): Promise<void> {
  const run = crypto.randomUUID().slice(0, 8);
  const key = (name: string) => `contract-${run}-${name}`;

  await t.step("a full bucket allows a burst, then refuses for about 1/refill", async () => {
    // Slow enough that a busy machine finishes the six calls before a token comes back.
    const limiter = await open({ capacity: 5, refillPerSecond: 2 });
    const started = performance.now();
    const burst = await takeMany(limiter, key("burst"), 5);
    assert.deepEqual(burst.map((d) => [d.allowed, d.remaining, d.retry_after_ms]), [
      [true, 4, 0],
      [true, 3, 0],
      [true, 2, 0],
      [true, 1, 0],
      [true, 0, 0],
    ]);
    const refused = await limiter.take(key("burst"));
    assert.equal(refused.allowed, false);
    assert.equal(refused.remaining, 0);
    // One token comes back every 500 ms; the calls so far already earned part of it.
    const elapsedMs = performance.now() - started;
    const { retry_after_ms } = refused;
    assert.ok(retry_after_ms > 0 && retry_after_ms <= 500, `${retry_after_ms}`);
    assert.ok(retry_after_ms >= 499 - elapsedMs, `${retry_after_ms} after ${elapsedMs} ms`);
  });

  await t.step("tokens come back over time, never beyond the capacity", async () => {
    const limiter = await open({ capacity: 3, refillPerSecond: 5 });
    const k = key("refill");
    assert.equal((await limiter.take(k, 3)).allowed, true);
    const refused = await limiter.take(k);
    assert.equal(refused.allowed, false);
    await sleep(refused.retry_after_ms + 10);
    assert.equal((await limiter.take(k)).allowed, true);
    await sleep(1_000); // time enough for 5 tokens; the bucket holds 3
    assert.deepEqual(await limiter.take(k, 3), { allowed: true, remaining: 0, retry_after_ms: 0 });
  });

  await t.step("each key has its own bucket", async () => {
    const limiter = await open({ capacity: 2, refillPerSecond: 0.1 });
    await takeMany(limiter, key("alice"), 2);
    assert.equal((await limiter.take(key("alice"))).allowed, false);
    const bob = await limiter.take(key("bob"));
    assert.deepEqual([bob.allowed, bob.remaining], [true, 1]);
  });

  await t.step("a take may cost several tokens; a refused one takes none", async () => {
    const limiter = await open({ capacity: 10, refillPerSecond: 1 });
    const k = key("cost");
    const started = performance.now();
    assert.deepEqual(await limiter.take(k, 4), { allowed: true, remaining: 6, retry_after_ms: 0 });
    assert.equal((await limiter.take(k, 4)).remaining, 2);
    const refused = await limiter.take(k, 4);
    assert.deepEqual([refused.allowed, refused.remaining], [false, 2]);
    // Two tokens short at one a second, less what the calls so far earned.
    const elapsedMs = performance.now() - started;
    assert.ok(refused.retry_after_ms <= 2_000 && refused.retry_after_ms >= 1_999 - elapsedMs);
    assert.deepEqual([(await limiter.take(k, 2)).allowed, (await limiter.take(k)).allowed], [
      true,
      false,
    ]);
  });

  await t.step("costs and limits that can never be met are rejected", async () => {
    const limiter = await open({ capacity: 10, refillPerSecond: 1 });
    for (const cost of [0, -1, 11, Number.NaN, Number.POSITIVE_INFINITY]) {
      await assert.rejects(async () => await limiter.take(key("bad-cost"), cost), RangeError);
    }
    for (
      const limits of [{ capacity: 0, refillPerSecond: 1 }, { capacity: 1, refillPerSecond: 0 }]
    ) {
      await assert.rejects(async () => await open(limits), RangeError);
    }
  });

  await t.step(
    "takes in order stop at the first refusal; the buckets after it keep theirs",
    async () => {
      const perAddress = await open({ capacity: 3, refillPerSecond: 0.01 });
      const perUser = await open({ capacity: 1, refillPerSecond: 0.01 });
      const takes = [
        { limiter: perAddress, key: key("in-order-address") },
        { limiter: perUser, key: key("in-order-user") },
        { limiter: perAddress, key: key("in-order-last") },
      ];
      const first = await takeInOrder(takes);
      assert.deepEqual(first.map((d) => [d.allowed, d.remaining]), [[true, 2], [true, 0], [
        true,
        2,
      ]]);
      const second = await takeInOrder(takes);
      assert.deepEqual(second.map((d) => d.allowed), [true, false]);
      assert.ok(second[1]!.retry_after_ms > 0);
      // The address bucket gave its token before the user bucket refused; the last one was not asked.
      assert.equal((await perAddress.take(key("in-order-address"))).remaining, 0);
      assert.equal((await perAddress.take(key("in-order-last"))).remaining, 1);
    },
  );

  await t.step("concurrent takes never admit more than the bucket holds", async () => {
    const limiter = await open({ capacity: 10, refillPerSecond: 0.01 });
    const decisions = await Promise.all(
      Array.from({ length: 50 }, () => limiter.take(key("race"))),
    );
    assert.equal(decisions.filter((d) => d.allowed).length, 10);
    assert.ok(decisions.filter((d) => !d.allowed).every((d) => d.retry_after_ms > 0));
  });
}

/** `count` takes of one token, one after the other. */
async function takeMany(limiter: RateLimiter, key: string, count: number) {
  const decisions = [];
  for (let i = 0; i < count; i++) decisions.push(await limiter.take(key));
  return decisions;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
