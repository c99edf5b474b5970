import assert from "node:assert/strict";
import type { Meilisearch } from "meilisearch";
import { SearchUnavailableError } from "../../../domain/ports/search.ts";
import { ProjectionRuntime } from "../../../projections/runtime/runtime.ts";
import { searchIndexProjection } from "../../../projections/search/index/projection.ts";
import { jsonLogger } from "../../logging/json-logger.ts";
import { PostgresEventStore } from "../../postgres/event-store.ts";
import { migrate } from "../../postgres/migrate.ts";
import { migrations } from "../../postgres/migrations/index.ts";
import { openPglite } from "../../postgres/pglite-client.ts";
import { integrationTest } from "../../testing/integration.ts";
import { fixtureCatalog } from "../fixture.ts";
import { runRelevanceSuite } from "../relevance.ts";
import { appendAll, caughtUp, recordedFrom } from "../testing.ts";
import { meilisearchClient } from "./client.ts";
import { MeilisearchDocumentStore } from "./document-store.ts";
import { MeilisearchSearch } from "./meilisearch-search.ts";

const requires = ["MEILISEARCH_URL", "MEILISEARCH_API_KEY"] as const;
const clientFor = (env: Record<(typeof requires)[number], string>) =>
  meilisearchClient({ url: env.MEILISEARCH_URL, apiKey: env.MEILISEARCH_API_KEY });

/** A prefix no other run uses; every index under it is deleted at the end. */
async function withPrefix(client: Meilisearch, use: (prefix: string) => Promise<void>) {
  const prefix = `test_${crypto.randomUUID().slice(0, 8)}_`;
  try {
    await use(prefix);
  } finally {
    const { results } = await client.getIndexes({ limit: 1000 });
    for (const index of results.filter((i) => i.uid.startsWith(prefix))) {
      await client.deleteIndexIfExists(index.uid);
    }
  }
}

integrationTest({
  name:
    "Meilisearch search, fed by the projection runtime, passes the relevance suite and rebuilds",
  requires,
  fn: (env, t) => {
    const client = clientFor(env);
    return withPrefix(client, async (prefix) => {
      const sql = await openPglite();
      await migrate(sql, migrations);
      const store = await PostgresEventStore.open(sql);
      await appendAll(store, fixtureCatalog());
      const documents = new MeilisearchDocumentStore(client, prefix);
      const runtime = new ProjectionRuntime({
        sql,
        store,
        logger: jsonLogger("silent"),
        projections: [searchIndexProjection(documents)],
        tickMs: 50,
      });
      const search = new MeilisearchSearch({
        client,
        store: documents,
        sql,
        projection: "search_index",
        liveCacheMs: 0,
      });
      await runtime.start();
      try {
        await caughtUp(runtime);
        await runRelevanceSuite(t, "meilisearch", search);

        // Blue/green: the rebuilt generation gets its own index; the retired one's is dropped.
        assert.equal(await runtime.rebuild("search_index"), 2);
        await caughtUp(runtime);
        const indexes = async () =>
          (await client.getIndexes({ limit: 1000 })).results.map((i) => i.uid)
            .filter((uid) => uid.startsWith(prefix));
        // The retired index goes on a later tick, and Meilisearch deletes it as a queued task.
        const deadline = Date.now() + 15_000;
        let left = await indexes();
        while (left.length > 1 && Date.now() < deadline) {
          await runtime.tick();
          await new Promise((resolve) => setTimeout(resolve, 100));
          left = await indexes();
        }
        assert.deepEqual(left, [`${prefix}search_index_g2`]);
        const [avatar] = (await search.search(query("avatr"))).hits;
        assert.equal(avatar?.title, "Avatar");
      } finally {
        await runtime.stop();
        await store.close();
        await sql.close();
      }
    });
  },
});

integrationTest({
  name: "Meilisearch search index: the same events applied twice give the same documents",
  requires,
  fn: (env) => {
    const client = clientFor(env);
    return withPrefix(client, async (prefix) => {
      const sql = await openPglite();
      const documents = new MeilisearchDocumentStore(client, prefix);
      const projection = searchIndexProjection(documents);
      const schema = "search_index_g1";
      const events = recordedFrom(fixtureCatalog(20));
      const snapshot = async () =>
        (await client.index(documents.indexName(schema)).getDocuments({ limit: 1000 })).results
          .sort((a, b) => String(a.id).localeCompare(String(b.id)));
      try {
        await sql.exec(`CREATE SCHEMA ${schema}`);
        await sql.transaction((tx) => projection.setup(tx, schema));
        await sql.transaction((tx) => projection.apply(tx, schema, events));
        const once = await snapshot();
        // A redelivered batch after a lost checkpoint: documents are ahead of the SQL shows.
        await sql.transaction(async (tx) => {
          await projection.apply(tx, schema, events);
          await projection.apply(tx, schema, events.slice(0, 10));
        });
        assert.deepEqual(await snapshot(), once);
        assert.ok(once.length > 30);
      } finally {
        await sql.close();
      }
    });
  },
});

integrationTest({
  name: "Meilisearch out of reach: reads and writes fail with SearchUnavailableError",
  requires,
  fn: async (env) => {
    const client = meilisearchClient({
      url: "http://127.0.0.1:9",
      apiKey: env.MEILISEARCH_API_KEY,
    });
    const sql = await openPglite();
    await migrate(sql, migrations);
    await sql.query(
      `INSERT INTO projection_generations (projection, generation, version, status)
       VALUES ('search_index', 1, 1, 'live')`,
    );
    const documents = new MeilisearchDocumentStore(client, "x_");
    const search = new MeilisearchSearch({
      client,
      store: documents,
      sql,
      projection: "search_index",
    });
    try {
      const error = await search.search(query("avatar")).catch((e) => e);
      assert.ok(error instanceof SearchUnavailableError);
      assert.equal(error.transient, true);
      await assert.rejects(() => search.suggest("ava", 5), SearchUnavailableError);
      await assert.rejects(() => documents.load("g", ["a"], []), SearchUnavailableError);
    } finally {
      await sql.close();
    }
  },
});

function query(q: string) {
  return { q, sort: "relevance" as const, limit: 10, offset: 0, include_unpublished: false };
}
