/**
 * A packed page of `readAll` (ReadAllFilter.packed) as one row of a few texts: the scalars of every
 * event, one line each, and a JSON array of their `data` (and of their `metadata`). The driver then
 * decodes and parses a few large values instead of nine or ten small ones per event, and one
 * JSON.parse reads a whole page: the process spends about half the CPU on a page, the server a
 * little more (decision 0042), which pays only where the reader is the busier side (decision 0046).
 */
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import { isoTimeFormatter } from "../../domain/shared/iso-time.ts";

/**
 * `<transaction_id>/<global_position> <stream_version> <schema_version> <recorded_at> <event_id>
 * <stream_name> <event_type>`, one line per event, recorded_at in epoch milliseconds (a Date parsed
 * from the timestamp's text cost more than the rest of the row). Stream names hold no white space or
 * control characters (validate-append.ts). Event types may hold any character: the type is the rest
 * of its line, with backslashes and newlines escaped (`\\`, `\n`), which for the usual type without
 * either costs the server next to nothing (a JSON array of the types cost it a third more).
 */
const SCALARS = `concat_ws(' ', page.transaction_id::text || '/' || page.global_position,
  page.stream_version, page.schema_version, floor(extract(epoch FROM page.recorded_at) * 1000)::int8,
  page.event_id, page.stream_name,
  replace(replace(page.event_type, '\\', '\\\\'), E'\\n', '\\n'))`;

/**
 * The page's texts, aggregated over `page`, a subquery of events in log order. The aggregates take
 * their rows in the order the subquery gives them (an ORDER BY inside each would sort the page
 * again, once per aggregate, for about a third more of the server's CPU); every aggregate of the
 * row gets the same rows in the same order, and toRecordedEvents checks the log order.
 */
export function pageColumns(metadata: boolean): string {
  const texts = [
    `string_agg(${SCALARS}, E'\\n') AS scalars`,
    `'[' || string_agg(page.data::text, ',') || ']' AS data`,
  ];
  if (metadata) texts.push(`'[' || string_agg(page.metadata::text, ',') || ']' AS metadata`);
  return texts.join(", ");
}

export interface EventPageRow {
  /** Null when the page is empty. */
  scalars: string | null;
  data: string | null;
  /** Absent when the read left it out. */
  metadata?: string | null;
}

/** recorded_at as toISOString() writes it; events read in commit order come in runs of a second. */
const isoTime = isoTimeFormatter();

export function toRecordedEvents(row: EventPageRow | undefined): RecordedEvent[] {
  if (!row?.scalars) return [];
  const data = JSON.parse(row.data!) as RecordedEvent["data"][];
  const metadata = row.metadata ? JSON.parse(row.metadata) as RecordedEvent["metadata"][] : null;
  const events = row.scalars.split("\n").map((scalars, i) => {
    const positionEnd = scalars.indexOf(" ");
    const streamVersionEnd = scalars.indexOf(" ", positionEnd + 1);
    const schemaVersionEnd = scalars.indexOf(" ", streamVersionEnd + 1);
    const recordedAtEnd = scalars.indexOf(" ", schemaVersionEnd + 1);
    const eventIdEnd = scalars.indexOf(" ", recordedAtEnd + 1);
    const streamNameEnd = scalars.indexOf(" ", eventIdEnd + 1);
    const type = scalars.slice(streamNameEnd + 1);
    const position = scalars.slice(0, positionEnd);
    const event: RecordedEvent = {
      event_id: scalars.slice(recordedAtEnd + 1, eventIdEnd),
      type: type.includes("\\") ? unescaped(type) : type,
      schema_version: Number(scalars.slice(streamVersionEnd + 1, schemaVersionEnd)),
      data: data[i]!,
      metadata: metadata?.[i] ?? {},
      stream_name: scalars.slice(eventIdEnd + 1, streamNameEnd),
      stream_version: Number(scalars.slice(positionEnd + 1, streamVersionEnd)),
      global_position: Number(position.slice(position.indexOf("/") + 1)),
      position,
      recorded_at: isoTime(Number(scalars.slice(schemaVersionEnd + 1, recordedAtEnd))),
    };
    return event;
  });
  // PostgreSQL feeds an aggregate the rows of a sorted subquery in order, but does not promise it.
  if (!inLogOrder(events)) events.sort(byLogOrder);
  return events;
}

/** An event type as SCALARS escaped it. */
function unescaped(type: string): string {
  return type.replace(/\\([\\n])/g, (_, escape: string) => escape === "n" ? "\n" : "\\");
}

function inLogOrder(events: readonly RecordedEvent[]): boolean {
  for (let i = 1; i < events.length; i++) {
    if (byLogOrder(events[i - 1]!, events[i]!) >= 0) return false;
  }
  return true;
}

/** Transaction ids first (decimal text of an unsigned 64-bit number), then global positions. */
function byLogOrder(a: RecordedEvent, b: RecordedEvent): number {
  const aTransaction = a.position.slice(0, a.position.indexOf("/"));
  const bTransaction = b.position.slice(0, b.position.indexOf("/"));
  if (aTransaction !== bTransaction) {
    return aTransaction.length - bTransaction.length || (aTransaction < bTransaction ? -1 : 1);
  }
  return a.global_position - b.global_position;
}
