import assert from "node:assert/strict";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import { connectPostgres } from "../../adapters/postgres/postgres-js-client.ts";
import { integrationTest } from "../../adapters/testing/integration.ts";
import { withScratchDatabase } from "../../adapters/testing/scratch-database.ts";
import type { SqlClient, SqlExecutor } from "../../domain/ports/sql.ts";
import { catalogProjection } from "./projection.ts";
import { LISTED_STATUSES, listVideos, VIDEO_SORTS, type VideoSort } from "./queries.ts";

/** The index each order of a status's listing reads in order (the others sort after a scan). */
const ORDER_INDEX: Partial<Record<VideoSort, string>> = {
  title: "title",
  year: "release_year",
  newest: "created_at",
};

Deno.test("a listing of one status can read its rows from that status's indexes", async () => {
  const sql = await openPglite();
  await createCatalog(sql);
  for (const statement of catalogProjection.indexes!("catalog")) await sql.exec(statement);

  for (const status of LISTED_STATUSES) {
    for (const sort of VIDEO_SORTS) {
      const plan = await sql.transaction(async (tx) => {
        // The tables are empty: without this the planner would rightly scan them instead. A plan
        // for any parameter values is what a prepared statement gets once it has run a few times.
        await tx.exec("SET LOCAL enable_seqscan = off");
        await tx.exec("SET LOCAL plan_cache_mode = force_generic_plan");
        const listing = capturing(tx);
        await listVideos(listing, { status, sort, genre: "Drama", limit: 20, offset: 0 });
        const [text, params = []] = listing.statements[0]!;
        await tx.exec(`PREPARE listing AS ${text}`);
        const values = params.map((value) => `'${String(value).replaceAll("'", "''")}'`);
        const rows = await tx.query<{ "QUERY PLAN": string }>(
          `EXPLAIN EXECUTE listing${values.length > 0 ? `(${values.join(", ")})` : ""}`,
        );
        await tx.exec("DEALLOCATE listing");
        return rows.map((row) => row["QUERY PLAN"]).join("\n");
      });
      const index = ORDER_INDEX[sort];
      const expected = new RegExp(`Index Scan using videos_${status}_${index ?? "\\w+"}_idx`);
      assert.match(plan, expected, `${status}, ${sort}:\n${plan}`);
    }
  }
  await sql.close();
});

// "é" (U+00E9) comes after "z"; a linguistic collation puts "Éclair" third.
const TITLES_IN_CODE_POINT_ORDER = ["apple", "Banana", "zebra", "Éclair"];

async function titlesSortedBy(sql: SqlClient): Promise<string[]> {
  await createCatalog(sql);
  for (const title of [...TITLES_IN_CODE_POINT_ORDER].reverse()) {
    await sql.query(
      `INSERT INTO catalog.videos (id, content_type, title, status, version, created_at, updated_at)
       VALUES (gen_random_uuid(), 'movie', $1, 'published', 1, now(), now())`,
      [title],
    );
  }
  const listing = { status: "published", sort: "title", limit: 10, offset: 0 } as const;
  const { items } = await listVideos(sql, listing);
  return items.map((video) => video.title as string);
}

Deno.test("titles sort by the code points of their lowercase form in the embedded profile", async () => {
  const sql = await openPglite();
  assert.deepEqual(await titlesSortedBy(sql), TITLES_IN_CODE_POINT_ORDER);
  await sql.close();
});

integrationTest({
  name:
    "titles sort by the code points of their lowercase form in a database of a linguistic locale",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const sql = connectPostgres({ url, max: 1 });
      try {
        assert.deepEqual(await titlesSortedBy(sql), TITLES_IN_CODE_POINT_ORDER);
      } finally {
        await sql.close();
      }
    }, "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'und'"),
});

/** The catalog's tables in schema `catalog`, where its queries read the live generation. */
async function createCatalog(sql: SqlClient): Promise<void> {
  await sql.exec("CREATE SCHEMA catalog");
  await sql.transaction((tx) => catalogProjection.setup(tx, "catalog"));
}

/** An executor that runs each query and keeps its text and parameters. */
function capturing(tx: SqlExecutor) {
  const statements: [string, readonly unknown[] | undefined][] = [];
  return {
    statements,
    query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]> {
      statements.push([text, params]);
      return tx.query<Row>(text, params);
    },
    exec: (text: string) => tx.exec(text),
  };
}
