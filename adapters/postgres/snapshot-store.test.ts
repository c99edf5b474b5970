import assert from "node:assert/strict";
import type { SqlClient } from "../../domain/ports/sql.ts";
import { integrationTest } from "../testing/integration.ts";
import { withScratchDatabase } from "../testing/scratch-database.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations/index.ts";
import { openPglite } from "./pglite-client.ts";
import { connectPostgres } from "./postgres-js-client.ts";
import { SqlSnapshotStore } from "./snapshot-store.ts";

const at = (version: number, note: string) => ({
  version,
  event_id: `event-${version}`,
  state: { note, sessions: { s1: { expires_at: 1_700_000_000_000, hashes: ["a", "b"] } } },
});

async function snapshotContract(sql: SqlClient): Promise<void> {
  await migrate(sql, migrations);
  const snapshots = new SqlSnapshotStore(sql);
  assert.equal(await snapshots.load("account-1", 1), undefined);

  await snapshots.save("account-1", 1, at(100, "first"));
  assert.deepEqual(await snapshots.load("account-1", 1), at(100, "first"));
  assert.equal(await snapshots.load("account-1", 2), undefined, "another schema's is not read");
  assert.equal(await snapshots.load("account-2", 1), undefined);

  await snapshots.save("account-1", 1, at(50, "older, saved late"));
  assert.deepEqual(await snapshots.load("account-1", 1), at(100, "first"));
  await snapshots.save("account-1", 1, at(200, "newer"));
  assert.deepEqual(await snapshots.load("account-1", 1), at(200, "newer"));

  // A new state shape starts over, whatever the old snapshot's version.
  await snapshots.save("account-1", 2, at(120, "new shape"));
  assert.deepEqual(await snapshots.load("account-1", 2), at(120, "new shape"));
  assert.equal(await snapshots.load("account-1", 1), undefined);
}

Deno.test("snapshot store on PGlite: the newest per stream and schema", async () => {
  const sql = await openPglite();
  try {
    await snapshotContract(sql);
  } finally {
    await sql.close();
  }
});

integrationTest({
  name: "snapshot store on PostgreSQL: the newest per stream and schema",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const sql = connectPostgres({ url, max: 2 });
      try {
        await snapshotContract(sql);
      } finally {
        await sql.close();
      }
    }),
});
