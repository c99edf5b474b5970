import assert from "node:assert/strict";
import { migrate } from "../../adapters/postgres/migrate.ts";
import { migrations } from "../../adapters/postgres/migrations/index.ts";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import type { JsonObject } from "../../domain/ports/event-store.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import type { LoggedRecord } from "../../domain/ports/telemetry-log.ts";
import { watchHistoryProjection } from "./projection.ts";

const SCHEMA = "watch_history_test";
let offset = 0;

/** A record as the log hands it out; `second` is the event time in seconds past 12:00. */
function record(type: string, second: number, fields: JsonObject = {}): LoggedRecord {
  const timestamp = new Date(Date.UTC(2026, 10, 21, 12, 0, second)).toISOString();
  return {
    key: "s1",
    partition: 0,
    offset: String(offset++),
    logged_at: timestamp,
    value: {
      type,
      user_id: "u1",
      content_id: "c1",
      session_id: "s1",
      timestamp,
      received_at: timestamp,
      duration_sec: 3_600,
      ...fields,
    },
  };
}

const session = [
  record("play", 0, { position_sec: 0 }),
  record("first_frame", 1, { position_sec: 0 }),
  record("heartbeat", 10, { position_sec: 600 }),
  record("heartbeat", 20, { position_sec: 1_200 }),
  record("pause", 25, { position_sec: 1_300 }),
  record("heartbeat", 20, { position_sec: 1_200, user_id: "u2" }),
  record("bitrate_change", 26, { position_sec: 1_310 }),
  record("position", 30, { position_sec: 1_440, device_id: "tv-1", profile_id: "kids" }),
  record("heartbeat", 30, { position_sec: 5 }), // anonymous playback counts for nobody
];
delete session[8]!.value.user_id;

async function readModel(sql: SqlClient) {
  return await sql.query(`SELECT * FROM ${SCHEMA}.entries ORDER BY user_id, profile_id`);
}
async function apply(sql: SqlClient, records: LoggedRecord[]) {
  await sql.transaction((tx) => watchHistoryProjection.apply(tx, SCHEMA, records));
}

const sql = await openPglite();
await migrate(sql, migrations);
await sql.exec(`CREATE SCHEMA ${SCHEMA}`);
await sql.transaction((tx) => watchHistoryProjection.setup(tx, SCHEMA));

Deno.test("the same records applied twice, whole or in part, give the same read model", async () => {
  await apply(sql, session);
  const once = await readModel(sql);
  assert.deepEqual(
    once.map((row) => [row.user_id, row.profile_id, row.position_sec, row.device_id]),
    [["u1", "default", 1_300, null], ["u1", "kids", 1_440, "tv-1"], ["u2", "default", 1_200, null]],
  );
  await apply(sql, session);
  assert.deepEqual(await readModel(sql), once);
  for (const single of session) await apply(sql, [single]);
  await apply(sql, session.slice(2, 5).toReversed());
  assert.deepEqual(await readModel(sql), once);
});

Deno.test("an older position after a newer one is ignored; the newer one stands", async () => {
  await apply(sql, [record("heartbeat", 100, { user_id: "u3", position_sec: 2_000 })]);
  await apply(sql, [
    record("heartbeat", 90, { user_id: "u3", position_sec: 1_800 }),
    record("stop", 95, { user_id: "u3", position_sec: 1_900, duration_sec: 3_601 }),
  ]);
  const [row] = await sql.query(`SELECT * FROM ${SCHEMA}.entries WHERE user_id = 'u3'`);
  assert.equal(row!.position_sec, 2_000);
  assert.deepEqual(row!.position_at, new Date(Date.UTC(2026, 10, 21, 12, 1, 40)));
  assert.equal(row!.duration_sec, 3_601, "the longer duration is kept");

  // A rewind is newer: it moves the position back, but not how far the viewer got.
  await apply(sql, [record("seek", 110, { user_id: "u3", position_sec: 60 })]);
  const [rewound] = await sql.query(`SELECT * FROM ${SCHEMA}.entries WHERE user_id = 'u3'`);
  assert.deepEqual([rewound!.position_sec, rewound!.furthest_sec], [60, 2_000]);
});

Deno.test("ended marks the end without a position, and is kept as the latest end", async () => {
  await apply(sql, [record("heartbeat", 190, { user_id: "u4", position_sec: 3_500 })]);
  await apply(sql, [record("ended", 200, { user_id: "u4" })]);
  await apply(sql, [record("ended", 150, { user_id: "u4" })]);
  const [row] = await sql.query(`SELECT * FROM ${SCHEMA}.entries WHERE user_id = 'u4'`);
  assert.equal(row!.position_sec, 3_500);
  assert.deepEqual(row!.ended_at, new Date(Date.UTC(2026, 10, 21, 12, 3, 20)));
  assert.deepEqual(row!.last_watched_at, row!.ended_at);
});

globalThis.addEventListener("unload", () => void sql.close());
