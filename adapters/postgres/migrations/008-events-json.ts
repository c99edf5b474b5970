import type { Migration } from "../migrate.ts";
import { appendFunction } from "./002-append-function.ts";
import { appendManyFunction } from "./006-append-many-function.ts";

/**
 * The events' data and metadata as json, their text as the append gave it, instead of jsonb: the
 * store never looks inside them, and jsonb cost the server a parse on every append and a conversion
 * back to text on every read (decision 0050). The append functions of migrations 002 and 006 are
 * replaced by the same functions inserting json. Existing events are rewritten, once.
 */
export const eventsJson: Migration = {
  version: 8,
  name: "events json",
  sql: `
    ALTER TABLE events
      ALTER COLUMN data TYPE json USING data::json,
      ALTER COLUMN metadata TYPE json USING metadata::json,
      ALTER COLUMN metadata SET DEFAULT '{}';
    ${insertingJson(appendFunction)}
    ${insertingJson(appendManyFunction)}
  `,
};

/** An append function's migration, replacing it with one that casts the JSON texts to json. */
function insertingJson(migration: Migration): string {
  return migration.sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
    .replaceAll("::jsonb", "::json");
}
