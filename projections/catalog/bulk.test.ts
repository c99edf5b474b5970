import assert from "node:assert/strict";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import { connectPostgres } from "../../adapters/postgres/postgres-js-client.ts";
import type { Append } from "../../adapters/search/fixture.ts";
import { appendAll, recordedFrom } from "../../adapters/search/testing.ts";
import { integrationTest } from "../../adapters/testing/integration.ts";
import { withScratchDatabase } from "../../adapters/testing/scratch-database.ts";
import type { JsonObject, RecordedEvent } from "../../domain/ports/event-store.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import { runtimeOver, until } from "../runtime/testing.ts";
import { CatalogFold } from "./apply.ts";
import { catalogProjection } from "./projection.ts";

const bulk = catalogProjection.bulk!;
const show = crypto.randomUUID();
const episodes: string[] = Array.from({ length: 4 }, () => crypto.randomUUID());
const movie = crypto.randomUUID();

/** One event appended to `stream`; recordedFrom numbers the streams' versions and positions. */
function appended(stream: string, type: string, data: JsonObject): Append {
  return { stream, events: [{ event_id: crypto.randomUUID(), type, schema_version: 1, data }] };
}

const episode = (index: number) =>
  appended(`video-${episodes[index]!}`, "VideoCreated", {
    video_id: episodes[index]!,
    content_type: "episode",
    title: `Episode ${index + 1}`,
    show_id: show,
    season_number: 1,
    episode_number: index + 1,
  });
const renamed = (title: string) =>
  appended(`show-${show}`, "ShowMetadataUpdated", { show_id: show, changes: { title } });

// Renames after episodes were written by an earlier drain, and episodes created after a rename.
const history: RecordedEvent[] = recordedFrom([
  appended(`show-${show}`, "ShowCreated", { show_id: show, title: "Dark", genre: "Mystery" }),
  appended(`show-${show}`, "SeasonAdded", { show_id: show, season_number: 1 }),
  episode(0),
  episode(1),
  appended(`video-${movie}`, "VideoCreated", {
    video_id: movie,
    content_type: "movie",
    // Characters COPY's text escapes, and array elements that need quoting.
    title: 'Arrival\t"2016"\\ \r\n é 🎬',
    tags: ["aliens", 'a "b", {c}', "NULL", ""],
  }),
  renamed("Dark (2017)"),
  episode(2),
  appended(`video-${episodes[0]!}`, "VideoMetadataUpdated", {
    video_id: episodes[0]!,
    changes: { title: "Secrets", rating: "TV-MA" },
  }),
  appended(`video-${movie}`, "VideoMetadataUpdated", {
    video_id: movie,
    changes: { tags: null, genre: "Drama" },
  }),
  renamed("Dark"),
  episode(3),
  appended(`video-${episodes[1]!}`, "VideoUnpublished", { video_id: episodes[1]! }),
  appended(`video-${movie}`, "VideoDeleted", { video_id: movie }),
]);

async function freshSchema(sql: SqlClient, schema: string) {
  await sql.exec(`CREATE SCHEMA ${schema}`);
  await sql.transaction((tx) => catalogProjection.setup(tx, schema));
}

/**
 * Folds `events` in pages of 2; the rows are written, in a transaction of their own, every
 * `pagesPerWrite` pages and after the last.
 */
async function bulkReplay(
  sql: SqlClient,
  schema: string,
  events: RecordedEvent[],
  empty: boolean,
  pagesPerWrite = 1,
  fold = bulk.begin(sql, schema, empty),
) {
  for (let start = 0, page = 1; start < events.length; start += 2, page++) {
    await fold.add(events.slice(start, start + 2));
    if (page % pagesPerWrite !== 0 && start + 2 < events.length) continue;
    const write = fold.drain();
    await sql.transaction((tx) => write(tx));
  }
}

async function batchByBatch(sql: SqlClient, schema: string, events: RecordedEvent[]) {
  for (let start = 0; start < events.length; start += 3) {
    const batch = events.slice(start, start + 3);
    await sql.transaction((tx) => catalogProjection.apply(tx, schema, batch));
  }
}

const readModel = async (sql: SqlClient, schema: string) => ({
  videos: await sql.query(`SELECT * FROM ${schema}.videos ORDER BY id`),
  shows: await sql.query(`SELECT * FROM ${schema}.shows ORDER BY id`),
  seasons: await sql.query(`SELECT * FROM ${schema}.seasons ORDER BY show_id, season_number`),
});

async function buildsWhatBatchByBatchBuilds(sql: SqlClient) {
  await freshSchema(sql, "by_batch");
  await batchByBatch(sql, "by_batch", history);
  const expected = await readModel(sql, "by_batch");
  assert.equal(expected.videos.length, 5);
  assert.ok(
    expected.videos.filter((v) => v.show_id === show).every((v) => v.show_title === "Dark"),
  );

  await freshSchema(sql, "in_bulk");
  await bulkReplay(sql, "in_bulk", history, true);
  assert.deepEqual(await readModel(sql, "in_bulk"), expected);

  // Writes of several pages each (a row changed on several pages is written once), and of all.
  for (const pagesPerWrite of [3, history.length]) {
    const schema = `in_bulk_by_${pagesPerWrite}`;
    await freshSchema(sql, schema);
    await bulkReplay(sql, schema, history, true, pagesPerWrite);
    assert.deepEqual(await readModel(sql, schema), expected);
  }

  // A fold that holds more rows than it may lets go of them and goes on as the live path does.
  await freshSchema(sql, "let_go");
  await bulkReplay(sql, "let_go", history, true, 3, new CatalogFold(sql, "let_go", true, 3));
  assert.deepEqual(await readModel(sql, "let_go"), expected);

  // A bulk fold that starts halfway, on tables that hold the first half, reads what it needs.
  await freshSchema(sql, "resumed");
  await batchByBatch(sql, "resumed", history.slice(0, 6));
  await bulkReplay(sql, "resumed", history.slice(6), false);
  assert.deepEqual(await readModel(sql, "resumed"), expected);
}

async function sameEventsTwiceChangeNothing(sql: SqlClient) {
  await freshSchema(sql, "in_bulk");
  await bulkReplay(sql, "in_bulk", history, true);
  const once = await readModel(sql, "in_bulk");
  await bulkReplay(sql, "in_bulk", history, false);
  assert.deepEqual(await readModel(sql, "in_bulk"), once);
  await bulkReplay(sql, "in_bulk", history, false, 3);
  assert.deepEqual(await readModel(sql, "in_bulk"), once);
  await batchByBatch(sql, "in_bulk", history.slice(3));
  assert.deepEqual(await readModel(sql, "in_bulk"), once);
}

const cases = [
  {
    name: "the catalog's bulk replay builds the read model the batch-by-batch path builds",
    fn: buildsWhatBatchByBatchBuilds,
  },
  {
    name: "the catalog's bulk replay: the same events again, in bulk or batch by batch, change " +
      "nothing",
    fn: sameEventsTwiceChangeNothing,
  },
];

for (const { name, fn } of cases) {
  Deno.test(`${name} (PGlite: new rows inserted)`, async () => {
    const sql = await openPglite();
    try {
      await fn(sql);
    } finally {
      await sql.close();
    }
  });
  integrationTest({
    name: `${name} (server: new rows copied)`,
    requires: ["POSTGRES_URL"],
    fn: ({ POSTGRES_URL }) => withServer(POSTGRES_URL, fn),
  });
}

async function withServer(serverUrl: string, use: (sql: SqlClient) => Promise<void>) {
  await withScratchDatabase(serverUrl, async (url) => {
    const sql = connectPostgres({ url, max: 4 });
    try {
      await use(sql);
    } finally {
      await sql.close();
    }
  });
}

// A video without a title: its row breaks the NOT NULL of videos.title when written.
const untitled = crypto.randomUUID();
const poisoned: Append[] = [
  ...history.slice(0, 4).map((event) => ({ stream: event.stream_name, events: [event] })),
  appended(`video-${untitled}`, "VideoCreated", { video_id: untitled, content_type: "movie" }),
];

integrationTest({
  name: "the catalog's bulk write on a server: a COPY the server rejects writes nothing of the " +
    "write, as a failed INSERT does",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withServer(POSTGRES_URL, async (sql) => {
      await freshSchema(sql, "in_bulk");
      const fold = bulk.begin(sql, "in_bulk", true);
      await fold.add(recordedFrom(poisoned));
      const write = fold.drain();
      await assert.rejects(sql.transaction((tx) => write(tx)), /null value in column "title"/);
      assert.deepEqual(await readModel(sql, "in_bulk"), { videos: [], shows: [], seasons: [] });
    }),
});

integrationTest({
  name: "a catalog bulk catch-up on a server whose COPY fails goes on batch by batch and parks " +
    "the event that broke it",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withServer(POSTGRES_URL, async (client) => {
      const { sql, store, runtime } = await runtimeOver(client, {
        projections: [catalogProjection],
        tickMs: 50,
      });
      try {
        await appendAll(store, poisoned);
        await runtime.start();
        // Not caughtUp(): the parked event is the projection's last error.
        const [state] = await until(
          () => runtime.status(),
          ([state]) => state!.generations.every((g) => g.events_behind === 0),
          30_000,
        );
        assert.equal(state!.generations[0]!.events_applied, poisoned.length - 1); // all but the parked one
        const [letter, ...others] = await runtime.deadLetters("catalog");
        assert.equal(others.length, 0);
        assert.equal(letter!.event.data.video_id, untitled);
        const { videos, shows, seasons } = await readModel(sql, "catalog");
        // The two episodes, their show and its season; not the untitled video.
        assert.deepEqual([videos.length, shows.length, seasons.length], [2, 1, 1]);
      } finally {
        await runtime.stop();
        await store.close();
      }
    }),
});
