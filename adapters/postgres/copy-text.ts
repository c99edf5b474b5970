/**
 * Rows in COPY's text format (tab-separated, `\N` for null, backslash escapes), with the value
 * rules of the SQL port's `copyRows`.
 */

/** Rows per chunk of text: bounds the size of one string while the rows are sent. */
const ROWS_PER_CHUNK = 1_000;

export function* copyTextChunks(rows: readonly (readonly unknown[])[]): Generator<string> {
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
    const lines = rows.slice(start, start + ROWS_PER_CHUNK).map((row) =>
      row.map(copyValue).join("\t")
    );
    yield lines.join("\n") + "\n";
  }
}

function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  switch (typeof value) {
    case "string":
      return escaped(value);
    case "number":
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "t" : "f";
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return escaped(arrayLiteral(value));
  return escaped(JSON.stringify(value));
}

/** A PostgreSQL array literal of the elements' text, every element quoted. */
function arrayLiteral(values: readonly unknown[]): string {
  const elements = values.map((element) =>
    element === null || element === undefined
      ? "NULL"
      : `"${String(element).replace(/["\\]/g, "\\$&")}"`
  );
  return `{${elements.join(",")}}`;
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function escaped(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : text;
}
