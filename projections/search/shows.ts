/** The shows a search projection keeps in SQL to describe episodes (title, availability). */
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import type { ShowRecord } from "./documents.ts";

export const SHOWS_TABLE = `(
  id uuid PRIMARY KEY,
  title text NOT NULL,
  status text NOT NULL,
  version bigint NOT NULL
)`;

export function loadShows(tx: SqlExecutor, schema: string, ids: readonly string[]) {
  return tx.query<ShowRecord>(
    `SELECT id::text, title, status, version FROM ${schema}.shows WHERE id = ANY($1::uuid[])`,
    [ids],
  );
}

/** Writes the shows; a row already newer is left as it is. */
export async function saveShows(tx: SqlExecutor, schema: string, shows: readonly ShowRecord[]) {
  if (shows.length === 0) return;
  await tx.query(
    `INSERT INTO ${schema}.shows SELECT * FROM jsonb_populate_recordset(null::${schema}.shows, $1)
     ON CONFLICT (id) DO UPDATE SET title = excluded.title, status = excluded.status,
       version = excluded.version
     WHERE shows.version < excluded.version`,
    [JSON.stringify(shows)],
  );
}
