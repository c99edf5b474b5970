import assert from "node:assert/strict";
import type { SqlClient } from "../../domain/ports/sql.ts";
import { runTelemetryLogContract } from "../telemetry-log/contract.ts";
import { integrationTest } from "../testing/integration.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations/index.ts";
import { openPglite } from "./pglite-client.ts";
import { connectPostgres } from "./postgres-js-client.ts";
import { SqlTelemetryLog } from "./telemetry-log.ts";

/** A new log per contract step: the same database with the log's tables emptied. */
function freshLogs(sql: SqlClient) {
  return async () => {
    await sql.exec("TRUNCATE telemetry_log, telemetry_log_partitions");
    return await SqlTelemetryLog.open(sql, { partitions: 6 });
  };
}

Deno.test("SQL telemetry log on PGlite meets the telemetry log contract", async (t) => {
  const sql = await openPglite();
  try {
    await migrate(sql, migrations);
    await runTelemetryLogContract(t, freshLogs(sql), { partitions: 6 });
  } finally {
    await sql.close();
  }
});

integrationTest({
  name: "SQL telemetry log on a PostgreSQL server meets the telemetry log contract",
  requires: ["POSTGRES_URL"],
  fn: async ({ POSTGRES_URL }, t) => {
    // A schema of its own: other suites share the database, and the contract empties the log.
    const schema = `telemetry_test_${crypto.randomUUID().slice(0, 8)}`;
    const admin = connectPostgres({ url: POSTGRES_URL, max: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const url = new URL(POSTGRES_URL);
    url.searchParams.set("search_path", schema);
    const sql = connectPostgres({ url: url.href, max: 10 });
    try {
      await migrate(sql, migrations);
      await runTelemetryLogContract(t, freshLogs(sql), { partitions: 6 });
    } finally {
      await sql.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  },
});

Deno.test("retention deletes old records, never reuses their offsets, and runs by itself", async () => {
  const sql = await openPglite();
  try {
    await migrate(sql, migrations);
    const log = await SqlTelemetryLog.open(sql, { partitions: 1, pruneIntervalMs: 0 });
    await log.append([1, 2, 3, 4].map((n) => ({ key: "session", value: { n } })));
    await sql.query(
      `UPDATE telemetry_log SET logged_at = now() - interval '8 days' WHERE "offset" < 2`,
    );
    assert.equal(await log.pruneOlderThan(7 * 24 * 3600_000), 2);
    assert.equal(await log.pruneOlderThan(7 * 24 * 3600_000), 0);
    await log.append([{ key: "session", value: { n: 5 } }]);
    assert.deepEqual(await offsets(sql), ["2", "3", "4"]);
    await log.close();

    // The log prunes on its own while it is open.
    const pruning = await SqlTelemetryLog.open(sql, {
      partitions: 1,
      retentionMs: 60_000,
      pruneIntervalMs: 20,
    });
    await sql.query(`UPDATE telemetry_log SET logged_at = now() - interval '2 minutes'`);
    for (let i = 0; i < 100 && (await offsets(sql)).length > 0; i++) await delay(20);
    assert.deepEqual(await offsets(sql), []);
    await pruning.close();
  } finally {
    await sql.close();
  }
});

Deno.test("a consumer position behind pruned records continues with the oldest kept", async () => {
  const sql = await openPglite();
  try {
    await migrate(sql, migrations);
    const log = await SqlTelemetryLog.open(sql, { partitions: 1, pruneIntervalMs: 0 });
    await log.append([1, 2, 3].map((n) => ({ key: "session", value: { n } })));
    await sql.query(`DELETE FROM telemetry_log WHERE "offset" < 2`);
    for await (
      const batch of log.consume({
        group: "g",
        startOffset: () => Promise.resolve("1"),
      })
    ) {
      assert.deepEqual(batch.records.map((r) => r.offset), ["2"]);
      assert.equal(batch.next_offset, "3");
      break;
    }
    await log.close();
  } finally {
    await sql.close();
  }
});

async function offsets(sql: SqlClient): Promise<string[]> {
  const rows = await sql.query<{ offset: string }>(
    `SELECT "offset"::text AS "offset" FROM telemetry_log ORDER BY "offset"`,
  );
  return rows.map((row) => row.offset);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
