import assert from "node:assert/strict";
import type { SqlClient } from "../../domain/ports/sql.ts";
import { runEventStoreContract } from "../event-store/contract.ts";
import { integrationTest } from "../testing/integration.ts";
import { withScratchDatabase } from "../testing/scratch-database.ts";
import { PostgresEventStore } from "./event-store.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations/index.ts";
import { openPglite } from "./pglite-client.ts";
import { ANNOUNCER_APPLICATION } from "./commit-announcer.ts";
import { connectPostgres } from "./postgres-js-client.ts";
import { READ_MODEL_APPLICATION, SESSIONS_WITHOUT_EVENTS } from "./sessions-without-events.ts";

/** Migrates the database behind `sql`, runs `use` on a store over it, then closes both. */
async function withStore(sql: SqlClient, use: (store: PostgresEventStore) => Promise<void>) {
  await migrate(sql, migrations);
  const store = await PostgresEventStore.open(sql);
  try {
    await use(store);
  } finally {
    await store.close();
    await sql.close();
  }
}

/**
 * Runs `statement` in a transaction of `sql` and keeps that transaction open; resolves once it has
 * run, to a function that ends the transaction and resolves once it has.
 */
async function holdTransaction(
  sql: SqlClient,
  statement: string,
  params?: readonly unknown[],
): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let started!: () => void;
  const holding = new Promise<void>((resolve) => started = resolve);
  const open = sql.transaction(async (tx) => {
    await tx.query(statement, params);
    started();
    await released;
  });
  await Promise.race([holding, open]);
  return async () => {
    release();
    await open;
  };
}

Deno.test("PostgreSQL event store on PGlite meets the event store contract", async (t) => {
  await withStore(await openPglite(), (store) => runEventStoreContract(t, store));
});

integrationTest({
  name: "PostgreSQL event store on a server meets the event store contract",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }, t) =>
    withStore(
      connectPostgres({ url: POSTGRES_URL, max: 20 }),
      (store) => runEventStoreContract(t, store),
    ),
});

integrationTest({
  name: "readAll holds back events committed while an older transaction is still open",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) => {
    const sql = connectPostgres({ url: POSTGRES_URL });
    return withStore(sql, async (store) => {
      const stream = `late-commit-${crypto.randomUUID()}`;
      const marker = await store.appendToStream(stream, [newEvent("Marker")]);
      let releaseEarly!: () => void;
      const early = new Promise<void>((resolve) => releaseEarly = resolve);
      let earlyInserted!: () => void;
      const inserted = new Promise<void>((resolve) => earlyInserted = resolve);
      // The older transaction takes its xid and position first, then commits last.
      const older = sql.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO events (stream_name, stream_version, event_id, event_type, schema_version, data)
           VALUES ($1, 100, $2, 'Early', 1, '{}')`,
          [stream, crypto.randomUUID()],
        );
        earlyInserted();
        await early;
      });
      await inserted;
      await store.appendToStream(`${stream}-other`, [newEvent("Late")]);

      const whileOpen = await store.readAll({ after: marker.position });
      assert.deepEqual(whileOpen.filter((e) => e.stream_name.startsWith(stream)), []);

      releaseEarly();
      await older;
      // Other suites' open transactions on the same server hold "Late" back too, for a moment.
      const deadline = Date.now() + 10_000;
      let mine: string[] = [];
      while (mine.length < 2 && Date.now() < deadline) {
        const afterCommit = await store.readAll({ after: marker.position });
        mine = afterCommit.filter((e) => e.stream_name.startsWith(stream)).map((e) => e.type);
        if (mine.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.deepEqual(mine, ["Early", "Late"]);
    });
  },
});

integrationTest({
  name: "readAll does not wait for a write transaction open in another database (0028)",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const elsewhere = connectPostgres({ url: POSTGRES_URL, max: 1 });
      // A transaction id in the other database, kept until released.
      const release = await holdTransaction(elsewhere, "SELECT pg_current_xact_id()");
      try {
        await withStore(connectPostgres({ url }), async (store) => {
          const appended = await store.appendToStream("after-the-open-one", [newEvent("Seen")]);
          assert.deepEqual((await store.readAll()).map((e) => e.position), [appended.position]);
          assert.equal((await store.head())?.global_position, appended.global_position);
        });
      } finally {
        await release();
        await elsewhere.close();
      }
    }),
});

integrationTest({
  name: "readAll does not wait for the transactions of sessions that write no events",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const announcer = connectPostgres({ url, max: 1 });
      const readModels = connectPostgres({ url, max: 1, applicationName: READ_MODEL_APPLICATION });
      const releases = [
        // An announcement's transaction caught as it commits: named so, holding a transaction id.
        await holdTransaction(
          announcer,
          "SELECT set_config('application_name', $1, true), pg_current_xact_id()",
          [ANNOUNCER_APPLICATION],
        ),
        // A read model's transaction, its session named so from the start.
        await holdTransaction(readModels, "SELECT pg_current_xact_id()"),
      ];
      try {
        await withStore(connectPostgres({ url }), async (store) => {
          const appended = await store.appendToStream("after-the-open-ones", [newEvent("Seen")]);
          assert.deepEqual((await store.readAll()).map((e) => e.position), [appended.position]);
        });
      } finally {
        for (const release of releases) await release();
        await announcer.close();
        await readModels.close();
      }
    }),
});

integrationTest({
  name: "the events table refuses the appends of sessions that write no events",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      await withStore(connectPostgres({ url }), async (store) => {
        for (const applicationName of SESSIONS_WITHOUT_EVENTS) {
          const sql = connectPostgres({ url, max: 1, applicationName });
          const named = await PostgresEventStore.open(sql);
          await assert.rejects(
            named.appendToStream(`refused-${applicationName}`, [newEvent("Refused")]),
            new RegExp(`a session named "${applicationName}" writes no events`),
          );
          await named.close();
          await sql.close();
        }
        const appended = await store.appendToStream("from-the-store", [newEvent("Kept")]);
        assert.deepEqual((await store.readAll()).map((e) => e.position), [appended.position]);
      });
    }),
});

function newEvent(type: string) {
  return { event_id: crypto.randomUUID(), type, schema_version: 1, data: {} };
}

/**
 * Event types with spaces, tabs, newlines and backslashes and a stream name of other scripts and
 * signs come back whole from readAll and readStream, as does every scalar.
 */
async function checkOddTexts(store: PostgresEventStore) {
  const stream = `page·ストリーム/${crypto.randomUUID()}`;
  const types = ["Type with  spaces ", "Tab\tand\nnewline type", "Back\\slash \\n ½"];
  const events = types.map((type, i) => ({ ...newEvent(type), schema_version: i + 1 }));
  const appended = await store.appendToStream(stream, events);
  const read = await store.readStream(stream);
  const all = (await store.readAll({ event_types: types, metadata: false }))
    .filter((event) => event.stream_name === stream);
  for (const events of [read, all]) {
    assert.deepEqual(events.map((event) => event.type), types);
    assert.deepEqual(events.map((event) => event.schema_version), [1, 2, 3]);
    assert.deepEqual(events.map((event) => event.stream_version), [1, 2, 3]);
    assert.deepEqual(events.map((event) => event.stream_name), [stream, stream, stream]);
    assert.equal(events.at(-1)!.position, appended.position);
    assert.equal(events.at(-1)!.global_position, appended.global_position);
    assert.match(events[0]!.recorded_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  }
  assert.deepEqual(read.map((event) => event.event_id), events.map((event) => event.event_id));
}

Deno.test("odd event types and stream names come back whole on PGlite", async () => {
  await withStore(await openPglite(), checkOddTexts);
});

integrationTest({
  name: "odd event types and stream names come back whole on a server",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) => withStore(connectPostgres({ url: POSTGRES_URL }), checkOddTexts),
});
