import assert from "node:assert/strict";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
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
  await sql.exec("CREATE SCHEMA catalog");
  await sql.transaction((tx) => catalogProjection.setup(tx, "catalog"));
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
