/**
 * The catalog read model: videos (with their show's title for episodes), shows and seasons, as the
 * catalog events describe them. Every write is guarded by the stream version, so applying events
 * again changes nothing (see apply.ts).
 */
import type { EventProjection } from "../runtime/projection.ts";
import { applyCatalogEvents, CatalogFold } from "./apply.ts";

export const catalogProjection: EventProjection = {
  source: "events",
  name: "catalog",
  version: 2, // 2: videos.geo_restriction
  tables: ["videos", "shows", "seasons"],
  eventTypes: [
    "VideoCreated",
    "VideoMetadataUpdated",
    "VideoPublished",
    "VideoUnpublished",
    "VideoDeleted",
    "VideoGeoRestricted",
    "ShowCreated",
    "ShowMetadataUpdated",
    "SeasonAdded",
    "ShowPublished",
    "ShowUnpublished",
    "ShowDeleted",
  ],

  async setup(tx, schema) {
    await tx.exec(`
      CREATE TABLE ${schema}.videos (
        id uuid PRIMARY KEY,
        content_type text NOT NULL,
        title text NOT NULL,
        description text,
        genre text,
        release_year integer,
        rating text,
        duration_sec double precision,
        tags text[] NOT NULL DEFAULT '{}',
        show_id uuid,
        show_title text,
        season_number integer,
        episode_number integer,
        geo_restriction jsonb,
        status text NOT NULL,
        version bigint NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE ${schema}.shows (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        description text,
        genre text,
        release_year integer,
        rating text,
        tags text[] NOT NULL DEFAULT '{}',
        status text NOT NULL,
        version bigint NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE ${schema}.seasons (
        show_id uuid NOT NULL,
        season_number integer NOT NULL,
        title text,
        PRIMARY KEY (show_id, season_number)
      );
    `);
  },

  // Named as PostgreSQL names them unnamed, as generations built before the names were given have.
  indexes: (schema) => [
    `CREATE INDEX IF NOT EXISTS videos_status_created_at_idx
       ON ${schema}.videos (status, created_at DESC)`,
    `CREATE INDEX IF NOT EXISTS videos_status_lower_idx ON ${schema}.videos (status, lower(title))`,
    `CREATE INDEX IF NOT EXISTS videos_status_release_year_idx
       ON ${schema}.videos (status, release_year)`,
    `CREATE INDEX IF NOT EXISTS videos_show_id_season_number_episode_number_idx
       ON ${schema}.videos (show_id, season_number, episode_number)`,
  ],

  apply: applyCatalogEvents,
  bulk: {
    metadata: false,
    begin: (reader, schema, empty) => new CatalogFold(reader, schema, empty),
  },
};
