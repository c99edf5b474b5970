/**
 * Applies a batch of catalog events with a handful of statements, whatever its size: load the rows
 * the batch touches, replay the events on them in memory, write the changed rows back in one upsert
 * per table. An event is applied only to a row older than it (by stream version), so a replayed
 * batch changes nothing, and the upsert keeps the newer row if another writer got there first.
 */
import { statusAfter } from "../../domain/catalog/status.ts";
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";

type Row = Record<string, unknown> & { id: string; version: number };

const VIDEO_COLUMNS = [
  "id",
  "content_type",
  "title",
  "description",
  "genre",
  "release_year",
  "rating",
  "duration_sec",
  "tags",
  "show_id",
  "show_title",
  "season_number",
  "episode_number",
  "geo_restriction",
  "status",
  "version",
  "created_at",
  "updated_at",
] as const;
const SHOW_COLUMNS = [
  "id",
  "title",
  "description",
  "genre",
  "release_year",
  "rating",
  "tags",
  "status",
  "version",
  "created_at",
  "updated_at",
] as const;
const EDITABLE = new Set([
  "title",
  "description",
  "genre",
  "release_year",
  "rating",
  "duration_sec",
  "tags",
]);

export async function applyCatalogEvents(
  tx: SqlExecutor,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  const videoIds = new Set<string>();
  const showIds = new Set<string>();
  for (const { data } of events) {
    if (typeof data.video_id === "string") videoIds.add(data.video_id);
    if (typeof data.show_id === "string") showIds.add(data.show_id);
  }
  const videos = await load(tx, `${schema}.videos`, videoIds);
  const shows = await load(tx, `${schema}.shows`, showIds);
  const changedVideos = new Set<string>();
  const changedShows = new Set<string>();
  const seasons: Record<string, unknown>[] = [];
  const renamedShows = new Map<string, string>();

  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    if (event.type === "SeasonAdded") {
      seasons.push({
        show_id: data.show_id,
        season_number: data.season_number,
        title: data.title ?? null,
      });
      continue;
    }
    const isVideo = event.type.startsWith("Video");
    const rows = isVideo ? videos : shows;
    const id = String(isVideo ? data.video_id : data.show_id);
    const current = rows.get(id);
    if (current && current.version >= event.stream_version) continue; // applied already
    const next = evolve(current, event, data, shows);
    if (!next) continue;
    rows.set(id, next);
    (isVideo ? changedVideos : changedShows).add(id);
    if (event.type === "ShowMetadataUpdated" && typeof data.changes === "object") {
      const title = (data.changes as Record<string, unknown>).title;
      if (typeof title === "string") renamedShows.set(id, title);
    }
  }

  await upsert(tx, `${schema}.shows`, SHOW_COLUMNS, [...changedShows].map((id) => shows.get(id)!));
  await upsert(
    tx,
    `${schema}.videos`,
    VIDEO_COLUMNS,
    [...changedVideos].map((id) => videos.get(id)!),
  );
  if (seasons.length > 0) {
    await tx.query(
      `INSERT INTO ${schema}.seasons SELECT * FROM jsonb_populate_recordset(null::${schema}.seasons, $1)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(seasons)],
    );
  }
  for (const [showId, title] of renamedShows) {
    await tx.query(`UPDATE ${schema}.videos SET show_title = $2 WHERE show_id = $1`, [
      showId,
      title,
    ]);
  }
}

/** The row after the event, or undefined when the event does not apply (no such row yet). */
function evolve(
  current: Row | undefined,
  event: RecordedEvent,
  data: Record<string, unknown>,
  shows: Map<string, Row>,
): Row | undefined {
  const stamp = { version: event.stream_version, updated_at: event.recorded_at };
  switch (event.type) {
    case "VideoCreated":
    case "ShowCreated": {
      if (current) return undefined;
      const { video_id, show_id, ...fields } = data;
      const id = String(event.type === "VideoCreated" ? video_id : show_id);
      const showTitle = event.type === "VideoCreated" && show_id
        ? shows.get(String(show_id))?.title
        : undefined;
      return {
        ...fields,
        id,
        ...(event.type === "VideoCreated"
          ? { show_id: show_id ?? null, show_title: showTitle ?? null }
          : {}),
        tags: fields.tags ?? [],
        status: "published",
        created_at: event.recorded_at,
        ...stamp,
      };
    }
    case "VideoMetadataUpdated":
    case "ShowMetadataUpdated": {
      if (!current) return undefined;
      const changes = Object.entries(data.changes as Record<string, unknown>)
        .filter(([field]) => EDITABLE.has(field))
        .map(([field, value]) => [field, field === "tags" ? value ?? [] : value]);
      return { ...current, ...Object.fromEntries(changes), ...stamp };
    }
    case "VideoGeoRestricted":
      return current ? { ...current, geo_restriction: data.geo_restriction, ...stamp } : undefined;
    default:
      return current ? { ...current, status: statusAfter(event.type), ...stamp } : undefined;
  }
}

async function load(tx: SqlExecutor, table: string, ids: Set<string>): Promise<Map<string, Row>> {
  if (ids.size === 0) return new Map();
  const rows = await tx.query<Row>(`SELECT * FROM ${table} WHERE id = ANY($1::uuid[])`, [[...ids]]);
  return new Map(rows.map((row) => [String(row.id), row]));
}

/** Writes rows in one statement; a row already newer in the table is left as it is. */
async function upsert(tx: SqlExecutor, table: string, columns: readonly string[], rows: Row[]) {
  if (rows.length === 0) return;
  const updates = columns.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`).join(", ");
  const records = rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null])));
  await tx.query(
    `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(null::${table}, $1)
     ON CONFLICT (id) DO UPDATE SET ${updates} WHERE ${
      table.split(".")[1]
    }.version < excluded.version`,
    [JSON.stringify(records)],
  );
}
