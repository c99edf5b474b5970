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
const QUOTED = /["\\]/;
const QUOTEDS = /["\\]/g;

/** Bytes per chunk: few enough writes, and no buffer of the whole table. */
export const CHUNK_BYTES = 1 << 20;

/** UTF-8 bytes a string's UTF-16 code unit takes at most. */
export const MAX_BYTES_PER_UNIT = 3;

const NEWLINE = 0x0a;
const encoder = new TextEncoder();

/**
 * The COPY text of `records`, each one's values taken in `columns` order, as UTF-8 in chunks of
 * whole lines. Each line is encoded as soon as it is joined, into a buffer outside the JavaScript
 * heap: a catch-up copies tens of megabytes, which as strings (or ropes of them) lived long enough
 * to be copied around by the garbage collector, and then were encoded once more for the socket.
 */
export function* copyTextChunks(
  columns: readonly string[],
  records: Iterable<Record<string, unknown>>,
  chunkBytes = CHUNK_BYTES,
): Generator<Uint8Array> {
  const values = new Array<string>(columns.length);
  let chunk = new Uint8Array(chunkBytes);
  let used = 0;
  for (const record of records) {
    for (let i = 0; i < columns.length; i++) values[i] = copyValue(record[columns[i]!]);
    const line = values.join("\t");
    const most = line.length * MAX_BYTES_PER_UNIT + 1;
    if (used + most > chunk.length) {
      if (used > 0) yield chunk.subarray(0, used);
      chunk = new Uint8Array(Math.max(chunkBytes, most));
      used = 0;
    }
    used += encoder.encodeInto(line, chunk.subarray(used)).written;
    chunk[used++] = NEWLINE;
  }
  if (used > 0) yield chunk.subarray(0, used);
}

/** One value as COPY's text format spells it. */
export function copyValue(value: unknown): string {
  if (typeof value === "string") return escaped(value); // the most common first
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "number") return String(value);
  return escaped(plainText(value));
}

/** A value's text before COPY's escaping. */
export function plainText(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "boolean": // as JSON spells it, which a text column of a JSON record set gets too
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
  let literal = "{";
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    if (i > 0) literal += ",";
    if (element === null || element === undefined) literal += "NULL";
    else if (Array.isArray(element)) literal += arrayLiteral(element);
    else {
      const text = plainText(element);
      literal += `"${QUOTED.test(text) ? text.replace(QUOTEDS, "\\$&") : text}"`;
    }
  }
  return literal + "}";
}
