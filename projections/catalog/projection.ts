/**
 * The catalog read model: videos (with their show's title for episodes), shows and seasons, as the
 * catalog events describe them. Every write is guarded by the stream version, so applying events
 * again changes nothing.
 */
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import type { SqlProjection } from "../runtime/projection.ts";

const VIDEO_FIELDS = [
  "title",
  "description",
  "genre",
  "release_year",
  "rating",
  "duration_sec",
  "tags",
];
const SHOW_FIELDS = ["title", "description", "genre", "release_year", "rating", "tags"];

export const catalogProjection: SqlProjection = {
  name: "catalog",
  version: 1,
  tables: ["videos", "shows", "seasons"],
  eventTypes: [
    "VideoCreated",
    "VideoMetadataUpdated",
    "VideoPublished",
    "VideoUnpublished",
    "VideoDeleted",
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
        status text NOT NULL,
        version bigint NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX ON ${schema}.videos (status, created_at DESC);
      CREATE INDEX ON ${schema}.videos (status, lower(title));
      CREATE INDEX ON ${schema}.videos (status, release_year);
      CREATE INDEX ON ${schema}.videos (show_id, season_number, episode_number);
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

  async apply(tx, schema, events) {
    for (const event of events) await applyOne(tx, schema, event);
  },
};

async function applyOne(tx: SqlExecutor, schema: string, event: RecordedEvent): Promise<void> {
  const data = event.data as Record<string, unknown>;
  const at = event.recorded_at;
  const version = event.stream_version;
  switch (event.type) {
    case "VideoCreated":
      await tx.query(
        `INSERT INTO ${schema}.videos (id, content_type, title, description, genre, release_year,
           rating, duration_sec, tags, show_id, show_title, season_number, episode_number, status,
           version, created_at, updated_at)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, coalesce($9::text[], '{}'), $10,
                (SELECT title FROM ${schema}.shows WHERE id = $10), $11, $12, 'published', $13, $14, $14
         ON CONFLICT (id) DO NOTHING`,
        [
          data.video_id,
          data.content_type,
          data.title,
          data.description ?? null,
          data.genre ?? null,
          data.release_year ?? null,
          data.rating ?? null,
          data.duration_sec ?? null,
          data.tags ?? null,
          data.show_id ?? null,
          data.season_number ?? null,
          data.episode_number ?? null,
          version,
          at,
        ],
      );
      return;
    case "VideoMetadataUpdated":
      await updateFields(
        tx,
        `${schema}.videos`,
        VIDEO_FIELDS,
        data.video_id,
        data.changes,
        version,
        at,
      );
      return;
    case "VideoPublished":
    case "VideoUnpublished":
    case "VideoDeleted":
      await setStatus(tx, `${schema}.videos`, data.video_id, statusOf(event.type), version, at);
      return;
    case "ShowCreated":
      await tx.query(
        `INSERT INTO ${schema}.shows (id, title, description, genre, release_year, rating, tags,
           status, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::text[], '{}'), 'published', $8, $9, $9)
         ON CONFLICT (id) DO NOTHING`,
        [
          data.show_id,
          data.title,
          data.description ?? null,
          data.genre ?? null,
          data.release_year ?? null,
          data.rating ?? null,
          data.tags ?? null,
          version,
          at,
        ],
      );
      return;
    case "ShowMetadataUpdated": {
      await updateFields(
        tx,
        `${schema}.shows`,
        SHOW_FIELDS,
        data.show_id,
        data.changes,
        version,
        at,
      );
      const title = (data.changes as Record<string, unknown>).title;
      if (typeof title === "string") {
        await tx.query(`UPDATE ${schema}.videos SET show_title = $2 WHERE show_id = $1`, [
          data.show_id,
          title,
        ]);
      }
      return;
    }
    case "SeasonAdded":
      await tx.query(
        `INSERT INTO ${schema}.seasons (show_id, season_number, title) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [data.show_id, data.season_number, data.title ?? null],
      );
      return;
    case "ShowPublished":
    case "ShowUnpublished":
    case "ShowDeleted":
      await setStatus(tx, `${schema}.shows`, data.show_id, statusOf(event.type), version, at);
      return;
  }
}

function statusOf(type: string): string {
  if (type.endsWith("Unpublished")) return "unpublished";
  if (type.endsWith("Published")) return "published";
  return "deleted";
}

async function setStatus(
  tx: SqlExecutor,
  table: string,
  id: unknown,
  status: string,
  version: number,
  at: string,
): Promise<void> {
  await tx.query(
    `UPDATE ${table} SET status = $2, version = $3, updated_at = $4 WHERE id = $1 AND version < $3`,
    [id, status, version, at],
  );
}

/** Sets the changed fields (null clears one); only known columns are written. */
async function updateFields(
  tx: SqlExecutor,
  table: string,
  columns: readonly string[],
  id: unknown,
  changes: unknown,
  version: number,
  at: string,
): Promise<void> {
  const entries = Object.entries(changes as Record<string, unknown>)
    .filter(([field]) => columns.includes(field));
  const assignments = entries.map(([field], i) =>
    field === "tags" ? `tags = coalesce($${i + 4}::text[], '{}')` : `${field} = $${i + 4}`
  );
  await tx.query(
    `UPDATE ${table} SET ${[...assignments, "version = $2", "updated_at = $3"].join(", ")}
     WHERE id = $1 AND version < $2`,
    [id, version, at, ...entries.map(([, value]) => value)],
  );
}
