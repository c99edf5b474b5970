/**
 * The two search engines under benchmark, each loaded with the same generated catalog through its
 * projection's apply (in batches, as a rebuild would) and queried through the search port.
 */
import { Meilisearch } from "meilisearch";
import { meilisearchClient } from "../../../adapters/search/meilisearch/client.ts";
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

/** One way of reading an engine's index. */
export interface SearchReader {
  label: string;
  search: SearchPort;
  /** The engine's own time of each search, where it tells it (Meilisearch's processingTimeMs). */
  serverTimes?: ServerTimes;
}

export interface SearchEngine {
  name: EngineName;
  /** The service's reader first; then any baseline read from the same index. */
  readers: SearchReader[];
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
    readers: [{ label: "embedded", search: new EmbeddedSearch(sql, schema) }],
    load,
    dispose: () => sql.close(),
  };
}

/**
 * Meilisearch at `url`, in an index of this run's own (deleted at the end), read through the
 * service's client and, with `baseline`, through a default client as before decision 0016
 * (compressed responses).
 */
export async function openMeilisearch(
  url: string,
  apiKey: string,
  baseline: boolean,
): Promise<SearchEngine> {
  const client = meilisearchClient({ url, apiKey });
  const prefix = `bench_${crypto.randomUUID().slice(0, 8)}_`;
  const store = new MeilisearchDocumentStore(client, prefix);
  const sql = await openPglite();
  await migrate(sql, migrations);
  await sql.query(
    `INSERT INTO projection_generations (projection, generation, version, status)
     VALUES ('search_index', 1, 1, 'live')`,
  );
  const load = await loader(sql, searchIndexProjection(store), "search_index_g1");
  const reader = (label: string, client: Meilisearch): SearchReader => {
    const serverTimes = new ServerTimes();
    const search = new MeilisearchSearch({
      client,
      store,
      sql,
      projection: "search_index",
      onServerTime: (ms) => serverTimes.add(ms),
    });
    return { label, search, serverTimes };
  };
  const readers = [reader("meilisearch", client)];
  if (baseline) {
    readers.push(reader("meilisearch, compressed", new Meilisearch({ host: url, apiKey })));
  }
  return {
    name: "meilisearch",
    readers,
    load,
    dispose: async () => {
      await store.drop("search_index_g1");
      await sql.close();
    },
  };
}

/** Server times, kept only between `start` and `stop`. */
export class ServerTimes {
  #times?: number[];

  add(milliseconds: number): void {
    this.#times?.push(milliseconds);
  }

  start(): void {
    this.#times = [];
  }

  stop(): number[] {
    const times = this.#times ?? [];
    this.#times = undefined;
    return times;
  }
}
