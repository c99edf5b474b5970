/** The bulk catch-up on a PostgreSQL server, where a write overlaps reading and folding the next pages. */
import assert from "node:assert/strict";
import { connectPostgres } from "../../adapters/postgres/postgres-js-client.ts";
import { integrationTest } from "../../adapters/testing/integration.ts";
import { withScratchDatabase } from "../../adapters/testing/scratch-database.ts";
import { BULK_PAGE_EVENTS } from "./bulk-catch-up.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
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
  name: "a bulk catch-up writes sooner near the end of the log, so its last write is small",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const { projection, written } = bulkTally(4 * BULK_PAGE_EVENTS);
      const { sql, store, runtime } = await runtimeOver(connectPostgres({ url, max: 4 }), {
        projections: [projection],
        tickMs: 50,
      });
      const total = 4 * BULK_PAGE_EVENTS + 300;
      await appendSessionEvents(store, total);
      try {
        await runtime.start();
        await until(
          () => runtime.status().then(([s]) => s!.generations[0]!.events_applied),
          (count) => count === total,
          60_000,
        );
        // Not one chunk of four pages and the rest: three pages (as many as were left), then one
        // page (more than the 300 left), then the 300.
        assert.equal(written.writes, 3);
        assert.deepEqual(written.seen, [0, 0, 0, 3 * BULK_PAGE_EVENTS, 4 * BULK_PAGE_EVENTS]);
      } finally {
        await runtime.stop();
        await store.close();
        await sql.close();
      }
    }),
});

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
