import assert from "node:assert/strict";
import { openPglite } from "../../../adapters/postgres/pglite-client.ts";
import type { LoggedRecord } from "../../../domain/ports/telemetry-log.ts";
import { heartbeatRecords } from "./heartbeats.ts";
import { sessionProjection, summarizeSessions } from "./session-projection.ts";

function logged(key: string, value: LoggedRecord["value"], offset: number): LoggedRecord {
  return { key, value, partition: 0, offset: String(offset), logged_at: "2026-01-01T00:00:00Z" };
}

const beat = (seq: number, played_ms: number, position_sec: number) => ({
  seq,
  played_ms,
  position_sec,
  bitrate_kbps: 1_000 * seq,
  content_id: "c1",
  timestamp: `2026-01-01T00:00:${String(seq).padStart(2, "0")}Z`,
});

Deno.test("summarizeSessions counts a session's records and keeps its latest heartbeat", () => {
  const [a, b] = summarizeSessions([
    logged("a", beat(1, 10_000, 10), 0),
    logged("b", beat(1, 5_000, 5), 1),
    logged("a", beat(3, 30_000, 30), 2),
    logged("a", beat(2, 20_000, 20), 3), // late: counted, but not the latest
  ]);
  assert.deepEqual(a, {
    session_id: "a",
    content_id: "c1",
    records: 3,
    last_seq: 3,
    position_sec: 30,
    bitrate_kbps: 3_000,
    played_ms: 30_000,
    rebuffer_ms: 0,
    stalls: 0,
    dropped_frames: 0,
    last_at: "2026-01-01T00:00:03Z",
  });
  assert.equal(b!.records, 1);
  assert.equal(b!.position_sec, 5);
});

Deno.test("summarizeSessions takes missing numbers as 0 and an empty batch as no sessions", () => {
  assert.deepEqual(summarizeSessions([]), []);
  const [only] = summarizeSessions([logged("x", { seq: "seven" }, 0)]);
  assert.equal(only!.last_seq, 0);
  assert.equal(only!.played_ms, 0);
  assert.equal(only!.content_id, "");
});

Deno.test("the session projection adds batches up with one upsert each", async () => {
  const sql = await openPglite();
  await sql.exec("CREATE SCHEMA s");
  await sql.transaction((tx) => sessionProjection.setup(tx, "s"));
  const records = heartbeatRecords(600, 20).map((record, index) =>
    logged(
      record.key,
      record.value,
      index,
    )
  );
  for (let start = 0; start < records.length; start += 100) {
    await sql.transaction((tx) =>
      sessionProjection.apply(tx, "s", records.slice(start, start + 100))
    );
  }
  const rows = await sql.query<{ session_id: string; records: number; last_seq: number }>(
    "SELECT session_id, records, last_seq FROM s.sessions",
  );
  assert.equal(rows.length, 20);
  assert.equal(rows.reduce((sum, row) => sum + row.records, 0), 600);
  // Every heartbeat of a session has the next seq, so the count and the last seq agree.
  for (const row of rows) assert.equal(row.last_seq, row.records, row.session_id);
  await sql.close();
});
