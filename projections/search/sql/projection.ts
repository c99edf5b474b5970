/**
 * The embedded search index: the search documents in PostgreSQL with a weighted tsvector (title A,
 * show title B, genre and tags C, description D) over unaccented words, and a trigram index over
 * the unaccented titles for typos. The same SQL runs on PGlite and on a PostgreSQL server; the
 * extensions come from migration 005.
 */
import type { EventProjection } from "../../runtime/projection.ts";
import { SEARCH_EVENT_TYPES } from "../documents.ts";
import { SHOWS_TABLE } from "../shows.ts";
import { applyToSql } from "./store.ts";

/** `name` is the schema of the live views; tests use their own. */
export function embeddedSearchProjection(name = "search"): EventProjection {
  return {
    source: "events",
    name,
    version: 1,
    tables: ["documents", "shows"],
    eventTypes: SEARCH_EVENT_TYPES,
    setup: (tx, schema) =>
      tx.exec(`
        CREATE TABLE ${schema}.documents (
          id uuid PRIMARY KEY,
          content_type text NOT NULL,
          title text NOT NULL,
          description text,
          genre text,
          tags text[] NOT NULL DEFAULT '{}',
          release_year integer,
          rating text,
          duration_sec double precision,
          show_id uuid,
          show_title text,
          season_number integer,
          episode_number integer,
          status text NOT NULL,
          show_status text,
          availability text NOT NULL,
          version bigint NOT NULL,
          show_version bigint NOT NULL,
          created_at bigint NOT NULL,
          -- unaccented, lower-case title and show title: what typos are matched against
          names text NOT NULL,
          words tsvector NOT NULL
        );
        -- No pending list (fastupdate): PGlite has no autovacuum to merge it, and every search
        -- would scan it in full.
        CREATE INDEX ON ${schema}.documents USING gin (words) WITH (fastupdate = off);
        CREATE INDEX ON ${schema}.documents USING gin (names gin_trgm_ops) WITH (fastupdate = off);
        CREATE INDEX ON ${schema}.documents (show_id);
        CREATE INDEX ON ${schema}.documents (availability, created_at DESC);
        CREATE TABLE ${schema}.shows ${SHOWS_TABLE};
      `),
    apply: applyToSql,
  };
}

export const embeddedSearch = embeddedSearchProjection();
