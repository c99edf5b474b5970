/**
 * The two search engines under benchmark, each loaded with the same generated catalog through its
 * projection's apply (in batches, as a rebuild would) and queried through the search port.
 */
import { Meilisearch } from "meilisearch";
import { migrate } from "../../../adapters/postgres/migrate.ts";
import { migrations } from "../../../adapters/postgres/migrations/index.ts";
import { openPglite } from "../../../adapters/postgres/pglite-client.ts";
import { EmbeddedSearch } from "../../../adapters/search/embedded/embedded-search.ts";
import { MeilisearchDocumentStore } from "../../../adapters/search/meilisearch/document-store.ts";
import { MeilisearchSearch } from "../../../adapters/search/meilisearch/meilisearch-search.ts";
import type { RecordedEvent } from "../../../domain/ports/event-store.ts";
import type { SearchPort } from "../../../domain/ports/search.ts";
import type { SqlClient } from "../../../domain/ports/sql.ts";
import type { EventProjection } from "../../../projections/runtime/projection.ts";
import { searchIndexProjection } from "../../../projections/search/index/projection.ts";
import { embeddedSearchProjection } from "../../../projections/search/sql/projection.ts";

export type EngineName = "embedded" | "meilisearch";

export interface SearchEngine {
  name: EngineName;
  search: SearchPort;
  /** Applies the events in batches; returns the seconds it took. */
  load(events: readonly RecordedEvent[], batchSize: number): Promise<number>;
  dispose(): Promise<void>;
}

async function loader(sql: SqlClient, projection: EventProjection, schema: string) {
  await sql.exec(`CREATE SCHEMA ${schema}`);
  await sql.transaction((tx) => projection.setup(tx, schema));
  return async (events: readonly RecordedEvent[], batchSize: number) => {
    const started = performance.now();
    for (let i = 0; i < events.length; i += batchSize) {
      await sql.transaction((tx) => projection.apply(tx, schema, events.slice(i, i + batchSize)));
    }
    return (performance.now() - started) / 1000;
  };
}

/** The embedded index on an in-memory PGlite, read from the generation's tables. */
export async function openEmbedded(): Promise<SearchEngine> {
  const sql = await openPglite();
  await migrate(sql, migrations);
  const schema = "search_g1";
  const load = await loader(sql, embeddedSearchProjection(), schema);
  return {
    name: "embedded",
    search: new EmbeddedSearch(sql, schema),
    load,
    dispose: () => sql.close(),
  };
}

/** Meilisearch at `url`, in an index of this run's own (deleted at the end). */
export async function openMeilisearch(url: string, apiKey: string): Promise<SearchEngine> {
  const client = new Meilisearch({ host: url, apiKey });
  const prefix = `bench_${crypto.randomUUID().slice(0, 8)}_`;
  const store = new MeilisearchDocumentStore(client, prefix);
  const sql = await openPglite();
  await migrate(sql, migrations);
  await sql.query(
    `INSERT INTO projection_generations (projection, generation, version, status)
     VALUES ('search_index', 1, 1, 'live')`,
  );
  const load = await loader(sql, searchIndexProjection(store), "search_index_g1");
  return {
    name: "meilisearch",
    search: new MeilisearchSearch({ client, store, sql, projection: "search_index" }),
    load,
    dispose: async () => {
      await store.drop("search_index_g1");
      await sql.close();
    },
  };
}
