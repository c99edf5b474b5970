import assert from "node:assert/strict";
import { jsonLogger } from "../adapters/logging/json-logger.ts";
import type { JsonObject } from "../domain/ports/event-store.ts";
import type { LoggedRecord } from "../domain/ports/telemetry-log.ts";
import { simulateSessions } from "../ops/simulate/sessions.ts";
import { feed, logRecords, qoeDatabase } from "./qoe/testing.ts";
import { forgetExpired } from "./retention.ts";
import { viewsProjection } from "./views/projection.ts";

const NOW = Date.UTC(2026, 10, 21, 12, 0);
const DAY_MS = 86_400_000;

/** QoE traffic of ten minutes that began `daysAgo` days before NOW. */
function traffic(seed: number, daysAgo: number): JsonObject[] {
  return simulateSessions({
    seed,
    sessions: 20,
    startMs: NOW - daysAgo * DAY_MS,
    spanSec: 600,
    allowedLatenessSec: 30,
  }).deliveries as unknown as JsonObject[];
}

/** A session that started and played `playedSec` (too little for a view below 30 s), `daysAgo` days before NOW. */
function viewing(id: string, playedSec: number, daysAgo: number): LoggedRecord[] {
  const at = (sec: number) => new Date(NOW - daysAgo * DAY_MS + sec * 1000).toISOString();
  const events: JsonObject[] = [
    { type: "play", seq: 0, timestamp: at(0) },
    { type: "first_frame", seq: 1, timestamp: at(1) },
    { type: "heartbeat", seq: 2, timestamp: at(1 + playedSec), played_ms: playedSec * 1000 },
  ];
  return events.map((event, i) => ({
    key: id,
    partition: 0,
    offset: `${id}-${i}`,
    logged_at: String(event.timestamp),
    value: { session_id: id, content_id: "movie-1", ...event },
  }));
}

Deno.test("retention: QoE cells, viewers and sessions and unfinished view sessions older than the period go", async () => {
  const { sql, projection: qoe } = await qoeDatabase(30);
  const views = viewsProjection({ minPlayedSec: 30 });
  await sql.exec("CREATE SCHEMA views");
  await sql.transaction((tx) => views.setup(tx, "views"));
  await feed(sql, qoe, logRecords([...traffic(1, 40), ...traffic(2, 1)], 3));
  await sql.transaction((tx) =>
    views.apply(tx, "views", [
      ...viewing("old-short", 5, 40),
      ...viewing("old-view", 60, 40),
      ...viewing("new-short", 5, 1),
    ])
  );
  const count = async (query: string) =>
    Number((await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${query}`))[0]!.n);
  const cutoff = `'${new Date(NOW - 30 * DAY_MS).toISOString()}'`;
  const old = `< ${cutoff}`;
  const recentCells = await count(`qoe.qoe_windows WHERE window_start >= ${cutoff}`);
  const recentViewers = await count(`qoe.qoe_viewers WHERE window_start >= ${cutoff}`);
  assert.ok(await count(`qoe.qoe_windows WHERE window_start ${old}`) > 0);
  assert.ok(await count(`qoe.qoe_viewers WHERE window_start ${old}`) > 0);
  const sessionsBefore = await count("qoe.qoe_sessions");

  // A projection whose tables are not built yet is passed over.
  const unbuilt = { ...views, name: "unbuilt" };
  const logger = jsonLogger("silent");
  const swept = await forgetExpired({
    sql,
    projections: [qoe, views, unbuilt],
    keepDays: 30,
    logger,
    now: () => NOW,
  });
  assert.deepEqual(swept, ["qoe", "views"]);

  assert.equal(await count(`qoe.qoe_windows WHERE window_start ${old}`), 0);
  assert.equal(await count(`qoe.qoe_viewers WHERE window_start ${old}`), 0);
  assert.ok(recentCells > 0 && recentViewers > 0);
  assert.equal(await count("qoe.qoe_windows"), recentCells, "the recent cells stay");
  assert.equal(await count("qoe.qoe_viewers"), recentViewers);
  assert.equal(await count("qoe.qoe_sessions"), sessionsBefore - 20, "the old sessions go");
  assert.deepEqual(
    await sql.query<{ session_id: string }>("SELECT session_id FROM views.sessions"),
    [{ session_id: "new-short" }],
  );
  assert.deepEqual(
    await sql.query<{ session_id: string }>("SELECT session_id FROM views.counted"),
    [{ session_id: "old-view" }],
    "counted views are the minute-level figures: they stay",
  );
  await sql.close();
});
