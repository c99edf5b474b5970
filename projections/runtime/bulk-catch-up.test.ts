/** The bulk catch-up on a PostgreSQL server, where a write overlaps reading and folding the next pages. */
import assert from "node:assert/strict";
import { connectPostgres } from "../../adapters/postgres/postgres-js-client.ts";
import { integrationTest } from "../../adapters/testing/integration.ts";
import { withScratchDatabase } from "../../adapters/testing/scratch-database.ts";
import { BULK_PAGE_EVENTS } from "./bulk-catch-up.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import type { PostgresEventStore } from "../../adapters/postgres/event-store.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import type { ProjectionRuntime } from "./runtime.ts";
import { bulkTally, runtimeOver, until } from "./testing.ts";

integrationTest({
  name: "a bulk catch-up on a server writes a chunk while it reads the next: each event once, " +
    "and the fold reads back what the write in flight wrote",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const { projection, written } = bulkTally(BULK_PAGE_EVENTS);
      const { sql, store, runtime } = await runtimeOver(connectPostgres({ url, max: 4 }), {
        projections: [projection],
        tickMs: 50,
      });
      const total = 2 * BULK_PAGE_EVENTS + 300;
      await appendSessionEvents(store, total);
      try {
        await runtime.start();
        await assertEachEventOnce(sql, runtime, total);
        assert.equal(written.writes, 3); // a write per page here: two full ones and the rest
        // Each page was folded while the previous page's write was in flight; what the fold read
        // back from the tables already had that write's rows.
        assert.deepEqual(written.seen, [0, BULK_PAGE_EVENTS, 2 * BULK_PAGE_EVENTS]);
      } finally {
        await runtime.stop();
        await store.close();
        await sql.close();
      }
    }),
});

integrationTest({
  name: "a bulk catch-up writes once per chunk of events and once at the end",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const { projection, written } = bulkTally(2 * BULK_PAGE_EVENTS);
      const { sql, store, runtime } = await runtimeOver(connectPostgres({ url, max: 4 }), {
        projections: [projection],
        tickMs: 50,
      });
      const total = 4 * BULK_PAGE_EVENTS + 300;
      await appendSessionEvents(store, total);
      try {
        await runtime.start();
        await assertEachEventOnce(sql, runtime, total);
        // Two pages, two pages, then the 300: each page after a write sees that write's rows.
        assert.equal(written.writes, 3);
        const chunk = 2 * BULK_PAGE_EVENTS;
        assert.deepEqual(written.seen, [0, 0, chunk, chunk, 2 * chunk]);
      } finally {
        await runtime.stop();
        await store.close();
        await sql.close();
      }
    }),
});

integrationTest({
  name: "a bulk catch-up does not wait for the page ends: pages come one at a time until the " +
    "store has told them, then two at a time, and each event is applied once",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const { projection } = bulkTally(BULK_PAGE_EVENTS);
      let late!: ReturnType<typeof withLatePageEnds>;
      const { sql, store, runtime } = await runtimeOver(
        connectPostgres({ url, max: 6 }),
        { projections: [projection], tickMs: 50 },
        (store) => (late = withLatePageEnds(store, 3)).store,
      );
      const total = 6 * BULK_PAGE_EVENTS + 300;
      await appendSessionEvents(store, total);
      try {
        await runtime.start();
        await assertEachEventOnce(sql, runtime, total);
        // Three pages were asked for before the ends were told, then one ahead of the next.
        assert.deepEqual(late.pagesAfter.slice(0, 3), [null, "read", "read"]);
        assert.ok(late.pagesAfter.includes("told"), JSON.stringify(late.pagesAfter));
      } finally {
        await runtime.stop();
        await store.close();
        await sql.close();
      }
    }),
});

/**
 * The store, telling its page ends only once `reads` pages were asked for. Each page asked for is
 * noted by where it starts: null for the start, "told" after a told page end, "read" otherwise.
 */
function withLatePageEnds(store: PostgresEventStore, reads: number) {
  const pagesAfter: (string | null)[] = [];
  const told = new Set<string>();
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const late: EventStore = {
    appendToStream: (stream, events, options) => store.appendToStream(stream, events, options),
    readStream: (stream, options) => store.readStream(stream, options),
    readAll: (options = {}) => {
      if (options.max_count === BULK_PAGE_EVENTS && options.event_types) {
        const after = options.after ?? null;
        pagesAfter.push(after === null ? null : told.has(after) ? "told" : "read");
        if (pagesAfter.length === reads) release();
      }
      return store.readAll(options);
    },
    pageEnds: async (options) => {
      await released;
      const ends = await store.pageEnds(options);
      for (const end of ends) told.add(end);
      return ends;
    },
    subscribeToAll: (options) => store.subscribeToAll(options),
    streamExists: (stream) => store.streamExists(stream),
    head: () => store.head(),
    ping: () => store.ping(),
    close: () => store.close(),
  };
  return { store: late, pagesAfter };
}

/** Waits for the runtime to have applied `total` events, each counted once in the tally. */
async function assertEachEventOnce(sql: SqlClient, runtime: ProjectionRuntime, total: number) {
  const applied = await until(
    () => runtime.status().then(([s]) => s!.generations[0]!.events_applied),
    (count) => count === total,
    60_000,
  );
  assert.equal(applied, total);
  const paused = Math.ceil(total / 3);
  assert.deepEqual(
    await sql.query("SELECT type, n FROM tally.counts ORDER BY type"),
    [{ type: "Paused", n: paused }, { type: "Played", n: total - paused }],
  );
}

/** `total` events, a third of them Paused, in streams of 100. */
async function appendSessionEvents(store: EventStore, total: number): Promise<void> {
  for (let start = 0; start < total; start += 100) {
    const events = Array.from({ length: 100 }, (_, i) => ({
      event_id: crypto.randomUUID(),
      type: (start + i) % 3 === 0 ? "Paused" : "Played",
      schema_version: 1,
      data: {},
    }));
    await store.appendToStream(`session-${start}`, events);
  }
}
