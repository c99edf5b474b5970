/** Both drivers of the SQL port must turn the same parameters into the same values. */
import assert from "node:assert/strict";
import { MissingRelationError, type SqlClient } from "../../domain/ports/sql.ts";
import { BackingServiceUnavailableError } from "../../domain/ports/unavailable.ts";
import { integrationTest } from "../testing/integration.ts";
import { openPglite } from "./pglite-client.ts";
import { connectPostgres } from "./postgres-js-client.ts";

async function sqlPortContract(t: Deno.TestContext, sql: SqlClient) {
  await t.step("JSON parameters: text is JSON already, objects are serialized", async () => {
    const [row] = await sql.query<{ from_text: unknown; from_object: unknown }>(
      "SELECT $1::jsonb AS from_text, $2::jsonb AS from_object",
      ['{"a":[1,"x"]}', { a: [1, "x"] }],
    );
    assert.deepEqual(row, { from_text: { a: [1, "x"] }, from_object: { a: [1, "x"] } });
  });

  await t.step("bigint comes back as a number, arrays as arrays, timestamps as dates", async () => {
    const [row] = await sql.query<{ big: number; tags: string[]; at: Date }>(
      "SELECT 9007199254740991::bigint AS big, $1::text[] AS tags, '2026-01-01T00:00:00Z'::timestamptz AS at",
      [["a", "b,c", 'd"e']],
    );
    assert.deepEqual(row, {
      big: 9007199254740991,
      tags: ["a", "b,c", 'd"e'],
      at: new Date("2026-01-01T00:00:00Z"),
    });
  });

  await t.step("a transaction rolls back when its work throws", async () => {
    await sql.exec("CREATE TEMP TABLE IF NOT EXISTS port_check (n int)");
    await assert.rejects(sql.transaction(async (tx) => {
      await tx.query("INSERT INTO port_check VALUES (1)");
      throw new Error("undo");
    }));
    assert.deepEqual(await sql.query("SELECT * FROM port_check"), []);
  });

  await t.step(
    "a failure behind a savepoint undoes its own work only; the rest commits",
    async () => {
      await sql.exec("CREATE TEMP TABLE IF NOT EXISTS port_savepoint (n int PRIMARY KEY)");
      await sql.transaction(async (tx) => {
        await tx.query("INSERT INTO port_savepoint VALUES (1)");
        await assert.rejects(tx.savepoint(async (point) => {
          await point.query("INSERT INTO port_savepoint VALUES (2)");
          await point.query("INSERT INTO port_savepoint VALUES (1)"); // a duplicate key
        }));
        await tx.savepoint((point) => point.query("INSERT INTO port_savepoint VALUES (3)"));
      });
      assert.deepEqual(await sql.query("SELECT n FROM port_savepoint ORDER BY n"), [{ n: 1 }, {
        n: 3,
      }]);
    },
  );

  await t.step("a relation not created yet is the port's MissingRelationError", async () => {
    await assert.rejects(sql.query("SELECT * FROM not_built_yet.rows"), MissingRelationError);
    await assert.rejects(
      sql.transaction((tx) => tx.query("SELECT * FROM not_built_yet.rows")),
      MissingRelationError,
    );
  });

  await t.step("a reserved connection holds session state such as advisory locks", async () => {
    const connection = await sql.reserve();
    const [row] = await connection.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock(42) AS locked",
    );
    assert.equal(row!.locked, true);
    await connection.query("SELECT pg_advisory_unlock(42)");
    await connection.release();
  });
}

Deno.test("the SQL port on PGlite", async (t) => {
  const sql = await openPglite();
  await sqlPortContract(t, sql);
  await sql.close();
});

integrationTest({
  name: "the SQL port on a PostgreSQL server",
  requires: ["POSTGRES_URL"],
  async fn({ POSTGRES_URL }, t) {
    const sql = connectPostgres({ url: POSTGRES_URL, max: 1 });
    await sqlPortContract(t, sql);
    await sql.close();
  },
});

Deno.test("a PostgreSQL server that cannot be reached is a BackingServiceUnavailableError", async () => {
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  const sql = connectPostgres({ url: "postgres://nobody:none@127.0.0.1:1/none", max: 1 });
  try {
    await assert.rejects(sql.query("SELECT 1"), BackingServiceUnavailableError);
    await assert.rejects(
      sql.transaction((tx) => tx.query("SELECT 1")),
      BackingServiceUnavailableError,
    );
  } finally {
    await sql.close();
  }
});
