import assert from "node:assert/strict";
import { BackingServiceUnavailableError } from "../../domain/ports/unavailable.ts";
import { mergeByKey, type WatchEntry } from "../../domain/watch-history/watch-entry.ts";
import { integrationTest } from "../testing/integration.ts";
import { connectRedis } from "./client.ts";
import { RedisPositionsCache } from "./positions-cache.ts";
import { withRedisPrefix } from "./testing.ts";

const viewer = { userId: "u:1", profileId: "kids" };
const T = Date.parse("2026-11-21T12:00:00Z");

function entry(contentId: string, fields: Partial<WatchEntry> = {}): WatchEntry {
  return { ...viewer, contentId, lastWatchedAtMs: T, ...fields };
}

integrationTest({
  name: "Redis positions cache: last position by event time wins, the rest only grows",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      const cache = new RedisPositionsCache(client, { prefix, ttlMs: 60_000 });
      assert.equal(await cache.get(viewer, "ep-1"), undefined);

      await cache.record([entry("ep-1", {
        position: { positionSec: 300, atMs: T + 2_000, sessionId: "s2", deviceId: "tv" },
        durationSec: 3000,
        furthestSec: 300,
        lastWatchedAtMs: T + 2_000,
      })]);
      // Older (another device, offline for a while): does not move the position back.
      await cache.record([entry("ep-1", {
        position: { positionSec: 100, atMs: T + 1_000, sessionId: "s1" },
        furthestSec: 2_900,
        endedAtMs: T + 1_000,
        lastWatchedAtMs: T + 1_000,
      })]);
      assert.deepEqual(await cache.get(viewer, "ep-1"), {
        complete: false,
        entry: entry("ep-1", {
          position: { positionSec: 300, atMs: T + 2_000, sessionId: "s2", deviceId: "tv" },
          durationSec: 3000,
          furthestSec: 2_900,
          endedAtMs: T + 1_000,
          lastWatchedAtMs: T + 2_000,
        }),
      });

      // Same instant, further position wins; its session and device come with it.
      await cache.fill(entry("ep-1", {
        position: { positionSec: 350, atMs: T + 2_000, sessionId: "s3" },
      }));
      const filled = await cache.get(viewer, "ep-1");
      assert.equal(filled?.complete, true);
      assert.deepEqual(filled?.entry.position, {
        positionSec: 350,
        atMs: T + 2_000,
        sessionId: "s3",
      });
      const ttl = await client.pttl(`${prefix}${JSON.stringify(["u:1", "kids", "ep-1"])}`);
      assert.ok(ttl > 0 && ttl <= 60_000, `${ttl}`);
    }),
});

integrationTest({
  name: "Redis positions cache: any order, repeats and two processes give the same entry",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      const other = await connectRedis(REDIS_URL, { name: "test-other" });
      try {
        const here = new RedisPositionsCache(client, { prefix });
        const there = new RedisPositionsCache(other, { prefix });
        const writes = Array.from({ length: 60 }, (_, i) =>
          entry("film", {
            position: { positionSec: (i * 37) % 500, atMs: T + (i % 7) * 1_000 },
            furthestSec: (i * 53) % 900,
            durationSec: 900,
            lastWatchedAtMs: T + (i % 7) * 1_000,
          }));
        const shuffled = [...writes, ...writes].sort(() => Math.random() - 0.5);
        await Promise.all(shuffled.map((write, i) => (i % 2 ? here : there).record([write])));
        const [expected] = mergeByKey(writes);
        assert.deepEqual((await here.get(viewer, "film"))?.entry, expected);
      } finally {
        await other.quit();
      }
    }),
});

integrationTest({
  name: "Redis positions cache: an outage is a BackingServiceUnavailableError",
  requires: ["REDIS_URL"],
  fn: async ({ REDIS_URL }) => {
    const client = await connectRedis(REDIS_URL, { name: "test-outage" });
    client.disconnect(); // no connection, and none coming back
    const cache = new RedisPositionsCache(client, { prefix: `test:${crypto.randomUUID()}:` });
    await assert.rejects(cache.get(viewer, "ep-1"), BackingServiceUnavailableError);
    await assert.rejects(cache.record([entry("ep-1")]), BackingServiceUnavailableError);
  },
});
