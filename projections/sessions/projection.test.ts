import assert from "node:assert/strict";
import { migrate } from "../../adapters/postgres/migrate.ts";
import { migrations } from "../../adapters/postgres/migrations/index.ts";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import type { LoggedRecord } from "../../domain/ports/telemetry-log.ts";
import { sessionsProjection } from "./projection.ts";

const record = (seq: number, type: string, extra: Record<string, number> = {}): LoggedRecord => ({
  key: "s1",
  partition: 0,
  offset: String(seq),
  logged_at: "2026-11-21T12:00:00.000Z",
  value: {
    session_id: "s1",
    content_id: "c1",
    user_id: "u1",
    type,
    seq,
    timestamp: new Date(Date.UTC(2026, 10, 21, 12, 0, seq * 10)).toISOString(),
    ...extra,
  },
});

Deno.test("the sessions projection: the same records twice give the same read model", async () => {
  const sql = await openPglite();
  await migrate(sql, migrations);
  await sql.exec("CREATE SCHEMA sessions_test");
  await sql.transaction((tx) => sessionsProjection.setup(tx, "sessions_test"));
  const records = [
    record(0, "play"),
    record(1, "first_frame"),
    record(2, "heartbeat", { played_ms: 9_000, position_sec: 9 }),
    record(3, "heartbeat", { played_ms: 19_000, position_sec: 19, stalls: 1, rebuffer_ms: 300 }),
  ];
  const rows = () => sql.query("SELECT * FROM sessions_test.sessions");
  await sql.transaction((tx) => sessionsProjection.apply(tx, "sessions_test", records));
  const once = await rows();
  await sql.transaction((tx) => sessionsProjection.apply(tx, "sessions_test", records));
  await sql.transaction((tx) => sessionsProjection.apply(tx, "sessions_test", records.slice(1, 3)));
  assert.deepEqual(await rows(), once);
  assert.equal(once.length, 1);
  assert.equal(once[0]!.played_ms, 19_000);
  assert.equal(once[0]!.last_seq, 3);
  await sql.close();
});
