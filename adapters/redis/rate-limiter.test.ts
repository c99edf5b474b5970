import assert from "node:assert/strict";
import { runRateLimiterContract } from "../rate-limiter/contract.ts";
import { integrationTest } from "../testing/integration.ts";
import { connectRedis } from "./client.ts";
import { RedisRateLimiter } from "./rate-limiter.ts";
import { withRedisPrefix } from "./testing.ts";

integrationTest({
  name: "Redis rate limiter meets the rate limiter contract",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }, t) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      await runRateLimiterContract(t, (limits) => new RedisRateLimiter(client, limits, { prefix }));
    }),
});

integrationTest({
  name: "Redis rate limiter shares buckets across clients and lets idle ones expire",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      // A second connection stands for a second API process.
      const other = await connectRedis(REDIS_URL, { name: "test-other" });
      try {
        const limits = { capacity: 4, refillPerSecond: 2 };
        const here = new RedisRateLimiter(client, limits, { prefix });
        const there = new RedisRateLimiter(other, limits, { prefix });
        const decisions = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? here : there).take("shared")),
        );
        assert.equal(decisions.filter((d) => d.allowed).length, 4);
        // Full again after capacity / refill = 2 s, so the bucket may go 1 s after that.
        const ttl = await client.pttl(`${prefix}shared`);
        assert.ok(ttl > 2_500 && ttl <= 3_000, `${ttl}`);
      } finally {
        await other.quit();
      }
    }),
});
