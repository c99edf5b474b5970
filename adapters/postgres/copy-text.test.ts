/** COPY's text format, written by copy-text.ts and read back by the server. */
import assert from "node:assert/strict";
import { integrationTest } from "../testing/integration.ts";
import { withScratchDatabase } from "../testing/scratch-database.ts";
import { copyTextChunks, copyValue } from "./copy-text.ts";
import { connectPostgres } from "./postgres-js-client.ts";

Deno.test("COPY text escapes backslash, tab, newline and carriage return, and spells NULL \\N", () => {
  assert.equal(copyValue("a\\b\tc\nd\re"), "a\\\\b\\tc\\nd\\re");
  assert.equal(copyValue(null), "\\N");
  assert.equal(copyValue(undefined), "\\N");
  assert.equal(copyValue(""), "");
  assert.equal(copyValue("\\N"), "\\\\N");
  assert.equal(copyValue(["a", null, 'q"\\']), '{"a",NULL,"q\\\\"\\\\\\\\"}');
  assert.equal(copyValue({ a: "x\ny" }), '{"a":"x\\\\ny"}');
  assert.deepEqual(decoded(copyTextChunks(["a", "b"], [{ a: 1, b: true }, { b: "x" }])), [
    "1\ttrue\n\\N\tx\n",
  ]);
});

Deno.test("COPY text comes in chunks of whole lines of UTF-8, however long a line is", () => {
  const labels = ["日本語 🎬", "plain", "é".repeat(40), "x"];
  const chunks = decoded(copyTextChunks(["label"], labels.map((label) => ({ label })), 16));
  assert.deepEqual(chunks, ["日本語 🎬\n", "plain\n", `${"é".repeat(40)}\nx\n`]);
});

function decoded(chunks: Iterable<Uint8Array>): string[] {
  return [...chunks].map((chunk) => new TextDecoder("utf-8", { fatal: true }).decode(chunk));
}

const NASTY = [
  "tab\there",
  "new\nline",
  "carriage\rreturn\r\n",
  "back\\slash\\",
  "\\N",
  "\\.",
  "\\.\n\\.",
  "",
  "NULL",
  " spaces ",
  "quote \" and ' apostrophe",
  "{braces},commas",
  "unicode: é ü ß 日本語 🎬 \u2028",
];

integrationTest({
  name: "values with tabs, newlines, backslashes, quotes and unicode, nulls and empty strings, " +
    "arrays and JSON come back from the server as they were copied",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) =>
    withScratchDatabase(POSTGRES_URL, async (url) => {
      const sql = connectPostgres({ url, max: 2 });
      try {
        await sql.exec(`CREATE TABLE t (
          id integer PRIMARY KEY, label text, tags text[], doc jsonb, ratio double precision,
          flag boolean, at timestamptz, ref uuid)`);
        const ref = crypto.randomUUID();
        const rows = [
          ...NASTY.map((label, i) => ({
            id: i,
            label,
            tags: [label, "", "NULL", null],
            doc: { label, nested: [label, null, 1.5] },
            ratio: i / 3,
            flag: i % 2 === 0,
            at: "2026-11-22T01:02:03.456Z",
            ref,
          })),
          // Null and absent (undefined) values, an empty array, JSON given as its text.
          {
            id: 100,
            label: null,
            tags: [],
            doc: '{"k":\t"a\\\\b\\n\\t"}',
            ratio: null,
            flag: null,
          },
          { id: 101 },
        ];
        const columns = ["id", "label", "tags", "doc", "ratio", "flag", "at", "ref"];
        await sql.transaction((tx) => tx.copyInto!("t", columns, rows));
        const back = await sql.query<Record<string, unknown>>(
          // The tags as JSON: postgres.js reads a NULL element of a text[] as the string "NULL".
          `SELECT id, label, array_to_json(tags) AS tags, doc::text AS doc, ratio, flag,
                  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, ref::text
             FROM t ORDER BY id`,
        );
        const expected = rows.map((row: Record<string, unknown>) => {
          const values = Object.fromEntries(columns.map((column) => [column, row[column] ?? null]));
          const doc = values.doc;
          return { ...values, doc: doc === null ? null : normalJson(doc) };
        });
        assert.deepEqual(
          back.map((row) => ({ ...row, doc: row.doc === null ? null : normalJson(row.doc) })),
          expected,
        );
      } finally {
        await sql.close();
      }
    }),
});

/** JSON (a value, or its text) in one spelling: jsonb reorders keys and spaces its output. */
function normalJson(doc: unknown): string {
  return JSON.stringify(typeof doc === "string" ? JSON.parse(doc) : doc);
}
