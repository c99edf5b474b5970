/**
 * Rows in the text format of PostgreSQL's COPY: one line per row, values separated by tabs,
 * NULL as \N, and backslash, tab, newline and carriage return escaped with a backslash. An array
 * is written as an array literal of its elements, any other object as its JSON text.
 */

/** Characters of a value that COPY's text format escapes. */
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** Characters of an array element that its double quotes escape. */
const QUOTED = /["\\]/g;

/** About this many characters per chunk: few enough writes, and no string of the whole table. */
const CHUNK_CHARS = 1 << 20;

/** The COPY text of `records`, each one's values taken in `columns` order, in chunks of lines. */
export function* copyTextChunks(
  columns: readonly string[],
  records: Iterable<Record<string, unknown>>,
): Generator<string> {
  const last = columns.length - 1;
  let chunk = "";
  for (const record of records) {
    for (let i = 0; i < last; i++) chunk += copyValue(record[columns[i]!]) + "\t";
    chunk += copyValue(record[columns[last]!]) + "\n";
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** One value as COPY's text format spells it. */
export function copyValue(value: unknown): string {
  if (typeof value === "string") return escaped(value); // the most common first
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "number") return String(value);
  return escaped(plainText(value));
}

/** A value's text before COPY's escaping. */
function plainText(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "boolean": // as JSON spells it, which a text column of a JSON record set gets too
      return String(value);
    case "number":
    case "bigint":
      return String(value);
    default:
      if (value instanceof Date) return value.toISOString();
      if (Array.isArray(value)) return arrayLiteral(value);
      return JSON.stringify(value);
  }
}

function escaped(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c]!) : text;
}

/** An array literal, `{"a","b"}`: every element quoted, so none is read as NULL or split. */
function arrayLiteral(elements: readonly unknown[]): string {
  const parts = elements.map((element) =>
    element === null || element === undefined
      ? "NULL"
      : Array.isArray(element)
      ? arrayLiteral(element)
      : `"${plainText(element).replace(QUOTED, "\\$&")}"`
  );
  return `{${parts.join(",")}}`;
}
