/**
 * Migration 008 on a store with events: they read back as they were appended, in one page or
 * packed, and appends (alone and grouped) go on into json columns.
 */
import assert from "node:assert/strict";
import type { NewEvent } from "../../../domain/ports/event-store.ts";
import type { SqlClient } from "../../../domain/ports/sql.ts";
import { integrationTest } from "../../testing/integration.ts";
import { withScratchDatabase } from "../../testing/scratch-database.ts";
import { PostgresEventStore } from "../event-store.ts";
import { migrate } from "../migrate.ts";
import { openPglite } from "../pglite-client.ts";
import { connectPostgres } from "../postgres-js-client.ts";
import { migrations } from "./index.ts";

const event = (n: number): NewEvent => ({
  event_id: crypto.randomUUID(),
  type: "VideoCreated",
  schema_version: 1,
  data: { video_id: `v-${n}`, title: `Title "${n}" 🎬`, tags: ["a", "b"], nested: { n, ok: true } },
  metadata: { correlation_id: `c-${n}` },
});

async function upgradeContract(sql: SqlClient): Promise<void> {
  await migrate(sql, migrations.filter((migration) => migration.version < 8));
  const before = await PostgresEventStore.open(sql);
  await before.appendToStream("video-1", [event(1), event(2)]);
  await Promise.all([3, 4, 5].map((n) => before.appendToStream(`video-${n}`, [event(n)])));
  const written = await before.readAll();
  await before.close();

  const throughThisOne = migrations.filter((migration) => migration.version <= 8);
  assert.deepEqual(await migrate(sql, throughThisOne), [8]);
  const types = await sql.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_name = 'events' AND column_name IN ('data', 'metadata') ORDER BY column_name`,
  );
  assert.deepEqual(types.map((row) => row.data_type), ["json", "json"]);

  const store = await PostgresEventStore.open(sql);
  try {
    assert.deepEqual(await store.readAll(), written);
    assert.deepEqual(await store.readAll({ packed: true }), written);
    // Appended alone and in a group, after the upgrade.
    await store.appendToStream("video-1", [event(6)], { expected_version: 2 });
    await Promise.all([7, 8, 9].map((n) => store.appendToStream(`video-${n}`, [event(n)])));
    const after = await store.readAll({ after: written.at(-1)!.position });
    assert.deepEqual(after.map((e) => (e.data as { nested: { n: number } }).nested.n).sort(), [
      6,
      7,
      8,
      9,
    ]);
    assert.deepEqual(after.find((e) => e.stream_name === "video-1")!.metadata, {
      correlation_id: "c-6",
    });
  } finally {
    await store.close();
  }
}

Deno.test("migration 008 on PGlite: events appended before it read back the same after it", async () => {
  const sql = await openPglite();
  try {
    await upgradeContract(sql);
  } finally {
    await sql.close();
  }
});

integrationTest({
  name: "migration 008 on PostgreSQL: events appended before it read back the same after it",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const sql = connectPostgres({ url, max: 4 });
      try {
        await upgradeContract(sql);
      } finally {
        await sql.close();
      }
    }),
});
