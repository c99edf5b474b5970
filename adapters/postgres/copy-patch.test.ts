/**
 * The postgres.js patch of ops/patches/apply.mjs: a COPY … FROM STDIN that the server rejects once
 * the client has sent all its data settles with the server's error (unpatched, it never settled:
 * the transaction was never rolled back and its connection stayed in an aborted transaction).
 */
import assert from "node:assert/strict";
import type { SqlClient } from "../../domain/ports/sql.ts";
import { integrationTest } from "../testing/integration.ts";
import { withScratchDatabase } from "../testing/scratch-database.ts";
import { connectPostgres } from "./postgres-js-client.ts";

/** `promise`, or a failure after a while instead of a test that hangs for good. */
async function settled<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const never = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the COPY never settled")), 20_000);
  });
  try {
    return await Promise.race([promise, never]);
  } finally {
    clearTimeout(timer);
  }
}

const rejectedCopies = [
  { what: "a value of the wrong type", row: { id: 2, n: "not a number" }, code: "22P02" },
  { what: "a duplicate key", row: { id: 1, n: 1 }, code: "23505" },
];

for (const { what, row, code } of rejectedCopies) {
  integrationTest({
    name: `a COPY in a transaction with ${what}: it fails with the server's error, the ` +
      "transaction rolls back, and the connection serves the next query",
    requires: ["POSTGRES_URL"],
    fn: ({ POSTGRES_URL }) =>
      withScratchDatabase(POSTGRES_URL, async (url) => {
        // One connection: the query after the failure runs on the COPY's own.
        const sql: SqlClient = connectPostgres({ url, max: 1 });
        try {
          await sql.exec("CREATE TABLE t (id integer PRIMARY KEY, n integer)");
          const failed = sql.transaction(async (tx) => {
            await tx.query("INSERT INTO t VALUES (1, 1)");
            await tx.copyInto!("t", ["id", "n"], [{ id: 3, n: 3 }, row]);
          });
          await assert.rejects(settled(failed), (error: { code?: string }) => {
            assert.equal(error.code, code);
            return true;
          });
          assert.deepEqual(await settled(sql.query("SELECT count(*)::int AS n FROM t")), [
            { n: 0 },
          ]);
          await sql.transaction((tx) => tx.copyInto!("t", ["id", "n"], [{ id: 1, n: 1 }]));
          assert.deepEqual(await sql.query("SELECT id, n FROM t"), [{ id: 1, n: 1 }]);
        } finally {
          await sql.close();
        }
      }),
  });
}
