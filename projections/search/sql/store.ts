/**
 * Applies catalog events to the SQL search documents: load what the batch touches, evolve it in
 * memory (documents.ts), write back the changes in one upsert per table, computing the weighted
 * tsvector and the trigram text in SQL. The upsert never overwrites a newer row.
 */
import type { RecordedEvent } from "../../../domain/ports/event-store.ts";
import { SEARCH_DOCUMENT_FIELDS, type SearchDocument } from "../../../domain/ports/search.ts";
import type { SqlExecutor } from "../../../domain/ports/sql.ts";
import { applySearchEvents, touchedBy } from "../documents.ts";
import { loadShows, saveShows } from "../shows.ts";
import { joinedPairs } from "../text.ts";

const COLUMNS = SEARCH_DOCUMENT_FIELDS;

/** The document columns as the port's SearchDocument (uuid as text). */
export const DOCUMENT_COLUMNS = COLUMNS.map((c) => c.endsWith("id") ? `${c}::text` : c).join(", ");

export async function applyToSql(
  tx: SqlExecutor,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  const { videoIds, showIds, showsWithEpisodes } = touchedBy(events);
  const loaded = await tx.query<SearchDocument>(
    `SELECT ${DOCUMENT_COLUMNS} FROM ${schema}.documents
     WHERE id = ANY($1::uuid[]) OR show_id = ANY($2::uuid[])`,
    [videoIds, showsWithEpisodes],
  );
  const shows = await loadShows(tx, schema, showIds);
  const changed = applySearchEvents(
    new Map(loaded.map((d) => [d.id, d])),
    new Map(shows.map((s) => [s.id, s])),
    events,
  );
  await saveShows(tx, schema, changed.shows);
  if (changed.documents.length > 0) await saveDocuments(tx, schema, changed.documents);
}

const unaccented = (expression: string) => `lower(unaccent(coalesce(${expression}, '')))`;
const weighted = (expression: string, weight: string) =>
  `setweight(to_tsvector('simple', ${unaccented(expression)}), '${weight}')`;

async function saveDocuments(tx: SqlExecutor, schema: string, documents: SearchDocument[]) {
  const table = `${schema}.documents`;
  const records = documents.map((d) => ({
    ...d,
    // Adjacent title words written together, so "spiderman" finds "Spider-Man".
    title_joins: joinedPairs(d.title).join(" "),
    show_joins: joinedPairs(d.show_title ?? "").join(" "),
  }));
  const list = COLUMNS.join(", ");
  await tx.query(
    `INSERT INTO ${table} (${list}, names, words)
     SELECT ${COLUMNS.map((c) => `d.${c}`).join(", ")},
       ${unaccented("d.title || ' ' || coalesce(d.show_title, '')")},
       ${weighted("d.title || ' ' || (r->>'title_joins')", "A")} ||
       ${weighted("d.show_title || ' ' || (r->>'show_joins')", "B")} ||
       ${weighted("d.genre || ' ' || array_to_string(d.tags, ' ')", "C")} ||
       ${weighted("d.description", "D")}
     FROM jsonb_array_elements($1::jsonb) AS r, jsonb_populate_record(null::${table}, r) AS d
     ON CONFLICT (id) DO UPDATE SET
       ${[...COLUMNS.slice(1), "names", "words"].map((c) => `${c} = excluded.${c}`).join(", ")}
     WHERE documents.version <= excluded.version AND documents.show_version <= excluded.show_version`,
    [JSON.stringify(records)],
  );
}
