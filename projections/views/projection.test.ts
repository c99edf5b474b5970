import assert from "node:assert/strict";
import { migrate } from "../../adapters/postgres/migrate.ts";
import { migrations } from "../../adapters/postgres/migrations/index.ts";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import type { JsonObject } from "../../domain/ports/event-store.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import type { LoggedRecord } from "../../domain/ports/telemetry-log.ts";
import { viewsProjection } from "./projection.ts";
import { topViewed, viewStats } from "./queries.ts";

const NOW = Date.UTC(2026, 10, 21, 12, 30);
let offset = 0;

/** A session that reaches its first frame and plays `playedSec`, its last event `ageMin` ago. */
function session(id: string, content: string, playedSec: number, ageMin: number): LoggedRecord[] {
  const at = (sec: number) => new Date(NOW - ageMin * 60_000 + sec * 1000).toISOString();
  const events: JsonObject[] = [
    { type: "play", seq: 0, timestamp: at(-playedSec - 2) },
    { type: "first_frame", seq: 1, timestamp: at(-playedSec - 1) },
    { type: "heartbeat", seq: 2, timestamp: at(0), played_ms: playedSec * 1000 },
  ];
  return events.map((event) => ({
    key: id,
    partition: 0,
    offset: String(offset++),
    logged_at: new Date(NOW).toISOString(),
    value: { session_id: id, content_id: content, ...event },
  }));
}

async function viewsModel(): Promise<SqlClient> {
  const sql = await openPglite();
  await migrate(sql, migrations);
  // The queries read the live schema `views`; here the tables are created in it directly.
  await sql.exec("CREATE SCHEMA views");
  await sql.transaction((tx) => viewsProjection().setup(tx, "views"));
  return sql;
}

const apply = (sql: SqlClient, records: LoggedRecord[], minPlayedSec = 10) =>
  sql.transaction((tx) => viewsProjection({ minPlayedSec }).apply(tx, "views", records));

Deno.test("the views projection: the same records twice give the same read model", async () => {
  const sql = await viewsModel();
  const records = [
    ...session("a1", "A", 30, 5),
    ...session("a2", "A", 12, 90),
    ...session("b1", "B", 60, 2 * 24 * 60),
    ...session("c1", "C", 5, 1), // too short: no view
  ];
  const model = async () => ({
    sessions: await sql.query("SELECT * FROM views.sessions ORDER BY session_id"),
    counted: await sql.query("SELECT * FROM views.counted ORDER BY session_id"),
    hourly: await sql.query("SELECT * FROM views.hourly ORDER BY content_id, hour"),
    daily: await sql.query("SELECT * FROM views.daily ORDER BY content_id, day"),
    totals: await sql.query("SELECT * FROM views.totals ORDER BY content_id"),
  });
  await apply(sql, records);
  const once = await model();
  await apply(sql, records);
  await apply(sql, records.slice(2, 7));
  assert.deepEqual(await model(), once);
  assert.deepEqual(once.sessions.map((row) => row.session_id), ["c1"]); // only the one not counted
  assert.deepEqual(
    await topViewed(sql, { window: "all", k: 10 }, NOW),
    [{ content_id: "A", views: 2 }, { content_id: "B", views: 1 }],
  );
  await sql.close();
});

Deno.test("late and duplicate events count a session once, in the buckets of its event time", async () => {
  const sql = await viewsModel();
  const [play, firstFrame, heartbeat] = session("s1", "A", 20, 3 * 60);
  await apply(sql, [heartbeat!, heartbeat!]); // arrives first, and twice
  assert.equal((await viewStats(sql, "A", NOW)).total, 0); // no first frame yet
  await apply(sql, [play!, firstFrame!, heartbeat!]);
  const stats = await viewStats(sql, "A", NOW);
  assert.deepEqual(stats, { total: 1, last_hour: 0, last_day: 1, last_week: 1, last_month: 1 });
  await sql.close();
});

Deno.test("windows slide: an hour-old view leaves the hour board, a day-old one the day board", async () => {
  const sql = await viewsModel();
  await apply(sql, [
    ...session("x1", "X", 15, 10),
    ...session("y1", "Y", 15, 30),
    ...session("y2", "Y", 15, 50),
    ...session("z1", "Z", 15, 20 * 60),
  ]);
  const top = async (window: "hour" | "day", now: number) =>
    (await topViewed(sql, { window, k: 3 }, now)).map((r) => `${r.content_id}:${r.views}`);
  assert.deepEqual(await top("hour", NOW), ["Y:2", "X:1"]);
  assert.deepEqual(await top("hour", NOW + 20 * 60_000), ["Y:1", "X:1"]); // y2 is 70 minutes old
  assert.deepEqual(await top("hour", NOW + 60 * 60_000), []);
  assert.deepEqual(await top("day", NOW), ["Y:2", "Z:1", "X:1"]);
  assert.deepEqual(await top("day", NOW + 5 * 3_600_000), ["Y:2", "X:1"]); // z1 is 25 hours old
  await sql.close();
});

Deno.test("the view threshold is configurable", async () => {
  const sql = await viewsModel();
  await apply(sql, session("s1", "A", 5, 1), 3);
  assert.equal((await viewStats(sql, "A", NOW)).total, 1);
  await sql.close();
});
