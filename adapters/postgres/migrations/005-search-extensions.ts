import type { Migration } from "../migrate.ts";

/**
 * Extensions the embedded search needs: pg_trgm (typo-tolerant matching of titles) and unaccent
 * ("pokemon" finds "Pokémon"). Both are trusted extensions: a database owner may create them. PGlite
 * loads them in pglite-client.ts; a server needs the contrib package. They go to schema public
 * whatever the search_path: an extension created in another schema would vanish with it.
 */
export const searchExtensions: Migration = {
  version: 5,
  name: "search-extensions",
  sql: `
    CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
    CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
  `,
};
