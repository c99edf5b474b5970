/**
 * COPY's binary format, written by copy-binary.ts: each value must be stored as the server stores
 * the same value given as text (an INSERT of it), and a value its column cannot take must fail the
 * COPY as the server fails that text.
 */
import assert from "node:assert/strict";
import { integrationTest } from "../testing/integration.ts";
import { withScratchDatabase } from "../testing/scratch-database.ts";
import { binaryEncoders, copyBinaryChunks } from "./copy-binary.ts";
import { connectPostgres } from "./postgres-js-client.ts";

/** Each column's type and the spellings of values it takes, as the text format would take them. */
const SPELLINGS: Record<string, { type: string; values: unknown[] }> = {
  u: {
    type: "uuid",
    values: [
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
      "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}",
      "a0eebc999c0b4ef8bb6d6bb9bd380a11",
      "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11",
    ],
  },
  at: {
    type: "timestamptz",
    values: [
      "2026-11-22T01:02:03.456Z",
      "2026-11-22T01:02:03.456789Z",
      "2026-11-22T01:02:03.4567895Z",
      "2026-11-22 01:02:03+05:30",
      "2026-11-22T01:02Z",
      "1969-12-31T23:59:59.999999Z",
      "2024-02-29T00:00:00.000Z",
      "0101-01-01T00:00:00.000Z",
      "infinity",
      "-infinity",
      new Date(Date.UTC(2000, 0, 1, 0, 0, 0, 1)),
    ],
  },
  i: { type: "integer", values: [0, -1, 2 ** 31 - 1, -(2 ** 31), "42", " -7 "] },
  s: { type: "smallint", values: [2 ** 15 - 1, -(2 ** 15), "12"] },
  b: {
    type: "bigint",
    values: [2 ** 53 - 1, -(2 ** 53) + 1, -1, -(2 ** 32) - 5, "9223372036854775807", -(2n ** 63n)],
  },
  f: { type: "double precision", values: [0.1, -1e300, "2.5", "NaN", "-Infinity", Infinity] },
  r: { type: "real", values: [0.5, "1e10", -3.25] },
  t: { type: "boolean", values: [true, false, "t", "off", "YES"] },
  x: { type: "text", values: ["", "tab\tand\nnewline\\", "日本語 🎬", "é".repeat(40), 12.5, true] },
  v: { type: "varchar(100)", values: ["plain", "ünïcödé"] },
  tags: { type: "text[]", values: [[], ["a", null, ""], ["NULL", '"quoted"', "{b,c}", "🎬"]] },
  j: { type: "jsonb", values: [{ a: [1, null, "x\ny"] }, '{"k": "v"}', [], "null", 3] },
  js: { type: "json", values: [{ b: 1, a: 2 }, '  {"spaced" : true}'] },
};

Deno.test("a table whose columns all have encoders is copied in binary, others are not", () => {
  assert.ok(binaryEncoders([2950, 25, 1184, 1009, 3802]));
  assert.equal(binaryEncoders([2950, 1700]), null); // numeric
  assert.equal(binaryEncoders([2950, null]), null); // a column the table does not have
});

Deno.test("binary COPY data: the signature, rows of length-prefixed fields, the trailer, in chunks", () => {
  const encoders = binaryEncoders([25])!;
  const long = "x".repeat(100);
  const chunks = [...copyBinaryChunks(["x"], encoders, [{ x: "a" }, { x: long }, { x: "b" }], 64)];
  const field = (text: string) => [0, 1, 0, 0, 0, text.length, ...new TextEncoder().encode(text)];
  const signature = [..."PGCOPY\n"].map((c) => c.charCodeAt(0)).concat([0xff, 13, 10, 0]);
  const flagsAndExtension = [0, 0, 0, 0, 0, 0, 0, 0];
  assert.deepEqual(chunks.flatMap((chunk) => [...chunk]), [
    ...signature,
    ...flagsAndExtension,
    ...field("a"),
    ...field(long),
    ...field("b"),
    0xff,
    0xff,
  ]);
  // A chunk ends where the next value does not fit; the long one starts a larger chunk.
  assert.deepEqual(chunks.map((chunk) => chunk.length), [19 + 7 + 2, 4 + 100 + 7 + 2]);
});

integrationTest({
  name: "every value copied in binary is stored as the server stores its text, in every spelling " +
    "the encoders take",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const sql = connectPostgres({ url, max: 2 });
      try {
        for (const [column, { type, values }] of Object.entries(SPELLINGS)) {
          await sql.exec(`CREATE TABLE copied (n integer, ${column} ${type});
                          CREATE TABLE inserted (n integer, ${column} ${type})`);
          const rows = values.map((value, n) => ({ n, [column]: value }));
          rows.push({ n: values.length }); // and NULL
          await sql.transaction((tx) => tx.copyInto!("copied", ["n", column], rows));
          for (const row of rows) {
            await sql.query(`INSERT INTO inserted VALUES ($1, $2::text::${type})`, [
              row.n,
              asText(row[column], type),
            ]);
          }
          const [difference] = await sql.query<{ copied: string; inserted: string }>(
            `SELECT c.${column}::text AS copied, i.${column}::text AS inserted
             FROM copied c JOIN inserted i USING (n)
             WHERE c.${column}::text IS DISTINCT FROM i.${column}::text`,
          );
          assert.equal(difference, undefined, `${type}: ${JSON.stringify(difference)}`);
          await sql.exec("DROP TABLE copied; DROP TABLE inserted");
        }
      } finally {
        await sql.close();
      }
    }),
});

/** A value as the text format would send it (and as the INSERT gives it to the server). */
function asText(value: unknown, type: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (type.startsWith("json")) return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    return `{${
      value.map((v) => (v === null ? "NULL" : `"${String(v).replace(/["\\]/g, "\\$&")}"`)).join(",")
    }}`;
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

const REFUSED: { type: string; value: unknown; code: string }[] = [
  { type: "uuid", value: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", code: "22P02" },
  { type: "uuid", value: "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", code: "22P02" },
  { type: "uuid", value: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-", code: "22P02" },
  { type: "uuid", value: "a0eebc99x9c0bx4ef8xbb6dx6bb9bd380a11", code: "22P02" },
  { type: "integer", value: 1.5, code: "22P02" },
  { type: "integer", value: 2 ** 31, code: "22003" },
  { type: "smallint", value: "40000", code: "22003" },
  { type: "bigint", value: "9223372036854775808", code: "22003" },
  { type: "boolean", value: "maybe", code: "22P02" },
  { type: "double precision", value: "ten", code: "22P02" },
  { type: "double precision", value: "0x10", code: "22P02" },
  { type: "timestamptz", value: "2026-02-31T00:00:00.000Z", code: "22P02" },
  { type: "timestamptz", value: "2026-11-22T01:02:03", code: "22P02" }, // no offset
  { type: "timestamptz", value: "yesterday", code: "22P02" },
  { type: "timestamptz", value: "", code: "22P02" },
  { type: "text[]", value: [["nested"]], code: "22P02" },
];

for (const { type, value, code } of REFUSED) {
  integrationTest({
    name: `a COPY of ${JSON.stringify(value)} into a ${type} column fails with SQLSTATE ${code} ` +
      "and writes nothing",
    requires: ["POSTGRES_URL"],
    fn: ({ POSTGRES_URL }) =>
      withScratchDatabase(POSTGRES_URL, async (url) => {
        const sql = connectPostgres({ url, max: 1 });
        try {
          await sql.exec(`CREATE TABLE t (n integer, v ${type})`);
          await assert.rejects(
            sql.transaction(async (tx) => {
              await tx.query("INSERT INTO t (n) VALUES (0)");
              await tx.copyInto!("t", ["n", "v"], [{ n: 1, v: null }, { n: 2, v: value }]);
            }),
            (error: { code?: string }) => error.code === code,
          );
          assert.deepEqual(await sql.query("SELECT count(*)::int AS n FROM t"), [{ n: 0 }]);
        } finally {
          await sql.close();
        }
      }),
  });
}
