import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { WINDOWS } from "../../domain/analytics/windows.ts";
import type { CountedView } from "../../domain/ports/leaderboard.ts";
import type { JsonObject } from "../../domain/ports/event-store.ts";
import { BackingServiceUnavailableError } from "../../domain/ports/unavailable.ts";
import { until } from "../../projections/runtime/testing.ts";
import { ProjectionRuntime } from "../../projections/runtime/runtime.ts";
import { viewBoardsProjection } from "../../projections/views/boards.ts";
import { viewsProjection } from "../../projections/views/projection.ts";
import { topViewed } from "../../projections/views/queries.ts";
import { Leaderboards } from "../../read-api/analytics/leaderboards.ts";
import { jsonLogger } from "../logging/json-logger.ts";
import { PostgresEventStore } from "../postgres/event-store.ts";
import { migrate } from "../postgres/migrate.ts";
import { migrations } from "../postgres/migrations/index.ts";
import { openPglite } from "../postgres/pglite-client.ts";
import { SqlTelemetryLog } from "../postgres/telemetry-log.ts";
import { integrationTest } from "../testing/integration.ts";
import { RedisLeaderboardStore } from "./leaderboard.ts";
import { withRedisPrefix } from "./testing.ts";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
let nextOffset = 0;

const view = (content: string, ageMs: number, now: number, partition = 0): CountedView => ({
  session_id: crypto.randomUUID(),
  content_id: content,
  viewed_at: new Date(now - ageMs).toISOString(),
  partition,
  offset: String(nextOffset++),
});

/** A client of a Redis that is not there: every command fails at once. */
function closedRedis(): Redis {
  const client = new Redis("redis://127.0.0.1:1", {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  return client.on("error", () => {}); // expected: nothing listens on port 1
}

integrationTest({
  name: "Redis leaderboards: windows slide by their buckets, and a replay adds nothing",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      const store = new RedisLeaderboardStore(client, { prefix, cacheMs: 0 });
      const now = Date.now();
      const views = [
        view("a", MINUTE, now),
        view("a", 2 * MINUTE, now),
        view("a", 3 * DAY, now, 1),
        view("b", 10 * MINUTE, now, 1),
        view("b", 2 * 3_600_000, now),
        view("b", 2 * 3_600_000, now),
        view("c", 400 * DAY, now, 1), // older than the year: all time only
      ];
      const boards = async () =>
        Object.fromEntries(
          await Promise.all(WINDOWS.map(async (window) => [
            window,
            (await store.top("g1", window, 10, now)).map((r) => `${r.content_id}:${r.views}`),
          ])),
        );
      await store.record("g1", views, now);
      const once = await boards();
      assert.deepEqual(once, {
        hour: ["a:2", "b:1"],
        day: ["b:3", "a:2"],
        week: ["b:3", "a:3"],
        month: ["b:3", "a:3"],
        year: ["b:3", "a:3"],
        all: ["b:3", "a:3", "c:1"],
      });
      await store.record("g1", views, now);
      await store.record("g1", views.slice(2, 5), now);
      assert.deepEqual(await boards(), once);
      assert.deepEqual(await store.top("g1", "all", 1, now), [{ content_id: "b", views: 3 }]);
      assert.deepEqual(await store.top("g2", "day", 10, now), []);

      await store.drop("g1");
      assert.deepEqual(await boards(), {
        hour: [],
        day: [],
        week: [],
        month: [],
        year: [],
        all: [],
      });
    }),
});

Deno.test("a Redis that is down says so as an outage", async () => {
  const redis = closedRedis();
  const store = new RedisLeaderboardStore(redis, { prefix: "down:" });
  await assert.rejects(
    () => store.top("g1", "day", 10, Date.now()),
    BackingServiceUnavailableError,
  );
  await assert.rejects(
    () => store.record("g1", [view("a", 0, Date.now())], Date.now()),
    BackingServiceUnavailableError,
  );
  redis.disconnect();
});

integrationTest({
  name: "the boards on Redis answer as the SQL aggregates do, which answer when Redis is down",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      const sql = await openPglite();
      await migrate(sql, migrations);
      const store = await PostgresEventStore.open(sql);
      const telemetry = await SqlTelemetryLog.open(sql);
      const boards = new RedisLeaderboardStore(client, { prefix, cacheMs: 0 });
      const runtime = new ProjectionRuntime({
        sql,
        store,
        telemetry,
        logger: jsonLogger("silent"),
        projections: [viewsProjection(), viewBoardsProjection(boards)],
        tickMs: 20,
      });
      await runtime.start();
      const now = Date.now();
      const records = [];
      for (let i = 0; i < 60; i++) {
        const session = `s-${i}`;
        const end = now - (i % 6) * 20 * MINUTE - (i % 5) * DAY;
        const value = (seq: number, type: string, at: number, extra: JsonObject = {}) => ({
          key: session,
          value: {
            session_id: session,
            content_id: `content-${i % 7}`,
            seq,
            type,
            timestamp: new Date(at).toISOString(),
            ...extra,
          },
        });
        records.push(
          value(0, "play", end - 30_000),
          value(1, "first_frame", end - 29_000),
          value(2, "heartbeat", end, { played_ms: (i % 4) * 6_000 }),
        );
      }
      await telemetry.append(records);
      await until(
        () => runtime.status(),
        (all) => all.every((p) => p.generations.every((g) => g.events_behind === 0)),
      );

      const hot = new Leaderboards({ sql, hot: boards });
      const down = closedRedis();
      const fallback = new Leaderboards({
        sql,
        hot: new RedisLeaderboardStore(down, { prefix }),
      });
      for (const window of WINDOWS) {
        const query = { window, k: 5 };
        const fromSql = await topViewed(sql, query, now);
        assert.ok(fromSql.length > 0, window);
        const ranked = async (from: Leaderboards) => {
          const { items, source } = await from.top(query, now);
          return { items: items.map(({ content_id, views }) => ({ content_id, views })), source };
        };
        assert.deepEqual(await ranked(hot), { items: fromSql, source: "redis" }, window);
        assert.deepEqual(await ranked(fallback), { items: fromSql, source: "sql" }, window);
      }
      down.disconnect();
      await runtime.stop();
      await store.close();
      await sql.close();
    }),
});
