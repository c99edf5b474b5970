import assert from "node:assert/strict";
import { migrate } from "../../adapters/postgres/migrate.ts";
import { migrations } from "../../adapters/postgres/migrations/index.ts";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { eventRecorder } from "../runtime/testing.ts";
import { catalogProjection } from "./projection.ts";

const show = crypto.randomUUID();
const movie = crypto.randomUUID();
const episode = crypto.randomUUID();
const recorded = eventRecorder();

const history: RecordedEvent[] = [
  recorded(`show-${show}`, 1, "ShowCreated", { show_id: show, title: "Dark", genre: "Mystery" }),
  recorded(`video-${movie}`, 1, "VideoCreated", {
    video_id: movie,
    content_type: "movie",
    title: "Arrival",
    tags: ["aliens"],
  }),
  recorded(`show-${show}`, 2, "SeasonAdded", { show_id: show, season_number: 1 }),
  recorded(`video-${episode}`, 1, "VideoCreated", {
    video_id: episode,
    content_type: "episode",
    title: "Secrets",
    show_id: show,
    season_number: 1,
    episode_number: 1,
  }),
  recorded(`video-${movie}`, 2, "VideoMetadataUpdated", {
    video_id: movie,
    changes: { rating: "PG-13", tags: ["aliens", "language"], genre: null },
  }),
  recorded(`show-${show}`, 3, "ShowMetadataUpdated", {
    show_id: show,
    changes: { title: "Dark (2017)" },
  }),
  recorded(`video-${movie}`, 3, "VideoUnpublished", { video_id: movie }),
  recorded(`video-${episode}`, 2, "VideoDeleted", { video_id: episode }),
];

async function snapshot(sql: SqlExecutor, schema: string) {
  return {
    videos: await sql.query(`SELECT * FROM ${schema}.videos ORDER BY id`),
    shows: await sql.query(`SELECT * FROM ${schema}.shows ORDER BY id`),
    seasons: await sql.query(`SELECT * FROM ${schema}.seasons ORDER BY show_id, season_number`),
  };
}

Deno.test("the catalog projection: the same events applied twice give the same read model", async () => {
  const sql = await openPglite();
  await migrate(sql, migrations);
  await sql.exec("CREATE SCHEMA catalog_test");
  await sql.transaction((tx) => catalogProjection.setup(tx, "catalog_test"));

  await sql.transaction((tx) => catalogProjection.apply(tx, "catalog_test", history));
  const once = await snapshot(sql, "catalog_test");
  await sql.transaction((tx) => catalogProjection.apply(tx, "catalog_test", history));
  assert.deepEqual(await snapshot(sql, "catalog_test"), once);
  // A replay of any prefix (a redelivered batch) changes nothing either.
  await sql.transaction((tx) => catalogProjection.apply(tx, "catalog_test", history.slice(0, 4)));
  assert.deepEqual(await snapshot(sql, "catalog_test"), once);
  // Rows created in the batch are folded from it without being read; the stored ones are newer.
  await sql.transaction((tx) => catalogProjection.apply(tx, "catalog_test", history.slice(0, 6)));
  assert.deepEqual(await snapshot(sql, "catalog_test"), once);

  const [arrival] = once.videos.filter((v) => v.id === movie);
  assert.equal(arrival!.rating, "PG-13");
  assert.equal(arrival!.genre, null);
  assert.deepEqual(arrival!.tags, ["aliens", "language"]);
  assert.equal(arrival!.status, "unpublished");
  const [secrets] = once.videos.filter((v) => v.id === episode);
  assert.equal(secrets!.status, "deleted");
  assert.equal(secrets!.show_title, "Dark (2017)");
  assert.equal(once.seasons.length, 1);
  await sql.close();
});

Deno.test("the catalog projection reads no rows for a batch of new videos", async () => {
  const sql = await openPglite();
  await sql.exec("CREATE SCHEMA catalog_new");
  await sql.transaction((tx) => catalogProjection.setup(tx, "catalog_new"));
  const created = Array.from({ length: 3 }, () => crypto.randomUUID()).map((id) =>
    recorded(`video-${id}`, 1, "VideoCreated", { video_id: id, content_type: "movie", title: id })
  );
  const statements: string[] = [];
  await sql.transaction((tx) =>
    catalogProjection.apply(
      {
        query: (text, params) => {
          statements.push(text);
          return tx.query(text, params);
        },
        exec: (text) => tx.exec(text),
      },
      "catalog_new",
      created,
    )
  );
  assert.deepEqual(statements.filter((text) => /^\s*SELECT/.test(text)), []);
  const videos = await sql.query<{ id: string }>("SELECT id FROM catalog_new.videos ORDER BY id");
  assert.deepEqual(videos.map((v) => v.id), created.map((e) => e.data.video_id).sort());
  await sql.close();
});
