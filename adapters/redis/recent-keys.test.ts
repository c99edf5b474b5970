import assert from "node:assert/strict";
import { runRecentKeysContract } from "../recent-keys/contract.ts";
import { integrationTest } from "../testing/integration.ts";
import { RedisRecentKeys } from "./recent-keys.ts";
import { withRedisPrefix } from "./testing.ts";

integrationTest({
  name: "Redis recent keys meet the recent keys contract",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }, t) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      await runRecentKeysContract(t, (ttlMs) => new RedisRecentKeys(client, { prefix, ttlMs }));
      // Every key it wrote sits under the prefix and expires on its own.
      const written: string[] = [];
      for await (const keys of client.scanStream({ match: `${prefix}*`, count: 1_000 })) {
        written.push(...(keys as string[]));
      }
      assert.ok(written.length >= 1_000);
      for (const key of written.slice(0, 20)) assert.ok(await client.pttl(key) > 0);
    }),
});
