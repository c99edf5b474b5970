import assert from "node:assert/strict";
import { runRateLimiterContract } from "../rate-limiter/contract.ts";
import { MemoryRateLimiter } from "./rate-limiter.ts";

Deno.test("in-memory rate limiter meets the rate limiter contract", async (t) => {
  await runRateLimiterContract(t, (limits) => new MemoryRateLimiter(limits));
});

Deno.test("in-memory rate limiter forgets idle buckets and holds at most maxBuckets", async () => {
  let now = 0;
  const limiter = new MemoryRateLimiter(
    { capacity: 2, refillPerSecond: 1 },
    { maxBuckets: 3, now: () => now },
  );
  for (const key of ["a", "b", "c", "d"]) await limiter.take(key);
  assert.equal(limiter.size, 3); // "a", least recently used, made room for "d"
  assert.equal((await limiter.take("a")).remaining, 1); // a fresh bucket again
  // After a whole fill time (2 s) untouched buckets are full, so they go without a trace.
  now += 2_000;
  await limiter.take("e");
  assert.equal(limiter.size, 1);
  // A bucket touched within the fill time may still be refilling, so it is kept.
  now += 500;
  await limiter.take("f");
  assert.equal(limiter.size, 2);
  assert.deepEqual(await limiter.take("e"), { allowed: true, remaining: 0, retry_after_ms: 0 });
});
