import assert from "node:assert/strict";
import { jsonLogger } from "../../logging/json-logger.ts";
import { PostgresEventStore } from "../../postgres/event-store.ts";
import { migrate } from "../../postgres/migrate.ts";
import { migrations } from "../../postgres/migrations/index.ts";
import { openPglite } from "../../postgres/pglite-client.ts";
import { connectPostgres } from "../../postgres/postgres-js-client.ts";
import { integrationTest } from "../../testing/integration.ts";
import { embeddedSearchProjection } from "../../../projections/search/sql/projection.ts";
import { ProjectionRuntime } from "../../../projections/runtime/runtime.ts";
import { SearchUnavailableError } from "../../../domain/ports/search.ts";
import { fixtureCatalog } from "../fixture.ts";
import { runRelevanceSuite } from "../relevance.ts";
import { appendAll, caughtUp, recordedFrom } from "../testing.ts";
import { EmbeddedSearch } from "./embedded-search.ts";

Deno.test("embedded search on PGlite, fed by the projection runtime, passes the relevance suite", async (t) => {
  const sql = await openPglite();
  await migrate(sql, migrations);
  const store = await PostgresEventStore.open(sql);
  const search = new EmbeddedSearch(sql);
  await assert.rejects(
    () =>
      search.search({ q: "x", sort: "relevance", limit: 1, offset: 0, include_unpublished: false }),
    SearchUnavailableError,
  );
  await appendAll(store, fixtureCatalog());
  const runtime = new ProjectionRuntime({
    sql,
    store,
    logger: jsonLogger("silent"),
    projections: [embeddedSearchProjection()],
    tickMs: 50,
  });
  await runtime.start();
  try {
    await caughtUp(runtime);
    await runRelevanceSuite(t, "embedded", search);
  } finally {
    await runtime.stop();
    await store.close();
    await sql.close();
  }
});

integrationTest({
  name: "embedded search on a PostgreSQL server passes the same relevance suite",
  requires: ["POSTGRES_URL"],
  fn: async ({ POSTGRES_URL }, t) => {
    const sql = connectPostgres({ url: POSTGRES_URL });
    const schema = `search_test_${crypto.randomUUID().slice(0, 8)}`;
    try {
      await migrate(sql, migrations);
      await sql.exec(`CREATE SCHEMA ${schema}`);
      const projection = embeddedSearchProjection();
      await sql.transaction(async (tx) => {
        await projection.setup(tx, schema);
        await projection.apply(tx, schema, recordedFrom(fixtureCatalog()));
      });
      await runRelevanceSuite(t, "embedded", new EmbeddedSearch(sql, schema));
    } finally {
      await sql.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await sql.close();
    }
  },
});
