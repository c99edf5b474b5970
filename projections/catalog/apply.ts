/**
 * Applies a batch of catalog events with a handful of statements, whatever its size: load the rows
 * the batch touches, replay the events on them in memory, write the changed rows back in one upsert
 * per table. An event is applied only to a row older than it (by stream version), so a replayed
 * batch changes nothing, and the upsert keeps the newer row if another writer got there first.
 * A bulk fold started on empty tables holds every row instead, and only ever copies rows in.
 */
import { statusAfter } from "../../domain/catalog/status.ts";
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { newShowRow, newVideoRow, type Row } from "./new-rows.ts";

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

/** Applies a batch in the runtime's transaction: load, fold, write back. */
export async function applyCatalogEvents(
  tx: SqlExecutor,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  const fold = new CatalogFold(tx, schema, false);
  await fold.add(events);
  await fold.drain()(tx);
}

/** Rows a bulk fold holds at most: past that, it forgets them and loads what it needs again. */
const MAX_HELD_ROWS = 200_000;

/**
 * The catalog rows a stretch of events touches, folded in memory: one batch's worth in the live
 * path, a whole catch-up's worth in bulk (BulkReplay). Started on empty tables, it holds every row
 * written so far (up to MAX_HELD_ROWS), so it never reads the tables, and writes by copying rows
 * in: a row written before and changed since is deleted and copied in again, which costs the
 * server less than an upsert. Once it lets go of its rows, it writes as the live path does.
 */
export class CatalogFold {
  readonly #videos = new Map<string, Held>();
  readonly #shows = new Map<string, Held>();
  /** Held episodes of each show, whose show title follows the show's. */
  readonly #episodes = new Map<string, Set<string>>();
  /** Held rows changed since the last drain, in the order of their first change. */
  readonly #changedVideos: Held[] = [];
  readonly #changedShows: Held[] = [];
  #seasons: Record<string, unknown>[] = [];
  /** Show titles to copy to episodes the fold does not hold (when not complete). */
  readonly #renamedShows = new Map<string, string>();
  /** The held rows are all the tables have: nothing to load, nothing to update outside them. */
  #complete: boolean;

  /** `empty`: the tables hold no rows yet. */
  constructor(
    private readonly reader: SqlExecutor,
    private readonly schema: string,
    empty: boolean,
    private readonly maxHeldRows = MAX_HELD_ROWS,
  ) {
    this.#complete = empty;
  }

  async add(events: readonly RecordedEvent[]): Promise<void> {
    if (!this.#complete) await this.#loadMissing(events);
    for (const event of events) {
      const data = event.data as Record<string, unknown>;
      if (event.type === "SeasonAdded") {
        this.#seasons.push({
          show_id: data.show_id,
          season_number: data.season_number,
          title: data.title ?? null,
        });
        continue;
      }
      const isVideo = event.type.startsWith("Video");
      const rows = isVideo ? this.#videos : this.#shows;
      const id = String(isVideo ? data.video_id : data.show_id);
      let held = rows.get(id);
      const current = held?.row;
      if (current && current.version >= event.stream_version) continue; // applied already
      const next = evolve(current, event, data, this.#shows);
      if (!next) continue;
      if (held) held.row = next;
      else rows.set(id, held = { row: next, stored: false, changed: false });
      this.#markChanged(held, isVideo ? this.#changedVideos : this.#changedShows);
      if (isVideo) this.#trackEpisode(id, next);
      if (event.type === "ShowMetadataUpdated" && typeof data.changes === "object") {
        const title = (data.changes as Record<string, unknown>).title;
        if (typeof title === "string") this.#rename(id, title);
      }
    }
  }

  /**
   * Takes the rows changed since the last drain (at once, so folding may go on meanwhile) and
   * returns their writes: per table, new rows copied or inserted, the others upserted (or, while
   * the fold is complete, deleted and copied in again).
   */
  drain(): (tx: SqlExecutor) => Promise<void> {
    const { schema } = this;
    const inserts: NewRows[] = [];
    const deletes: Statement[] = [];
    const statements: Statement[] = [
      ...this.#writes(`${schema}.shows`, SHOW_COLUMNS, this.#changedShows, inserts, deletes),
      ...this.#writes(`${schema}.videos`, VIDEO_COLUMNS, this.#changedVideos, inserts, deletes),
    ];
    if (this.#seasons.length > 0) {
      statements.push({
        text: `INSERT INTO ${schema}.seasons
               SELECT * FROM json_populate_recordset(null::${schema}.seasons, $1::text::json)
               ON CONFLICT DO NOTHING`,
        params: [JSON.stringify(this.#seasons)],
      });
    }
    // Episodes the fold may not hold keep their show's title in step, by show.
    if (this.#renamedShows.size > 0) {
      statements.push({
        text: `UPDATE ${schema}.videos AS v SET show_title = r.title
               FROM unnest($1::uuid[], $2::text[]) AS r(key, title) WHERE v.show_id = r.key`,
        params: [[...this.#renamedShows.keys()], [...this.#renamedShows.values()]],
      });
    }
    this.#changedVideos.length = 0;
    this.#changedShows.length = 0;
    this.#renamedShows.clear();
    this.#seasons = [];
    if (this.#videos.size + this.#shows.size > this.maxHeldRows) this.#forget();
    // Sent without waiting for each other, in order: one round trip for all of them on a server.
    // New rows are copied where the driver can (cheaper for the server), after the statements:
    // nothing else may go out on the connection during a COPY.
    return async (tx) => {
      const inserted = tx.copyInto
        ? []
        : inserts.flatMap(({ table, columns, rows }) => writeRows(table, columns, rows, false));
      const all = [...deletes, ...inserted, ...statements];
      await Promise.all(all.map(({ text, params }) => tx.query(text, params)));
      if (!tx.copyInto) return;
      for (const { table, columns, rows } of inserts) await tx.copyInto(table, columns, rows);
    };
  }

  #trackEpisode(id: string, video: Row): void {
    if (typeof video.show_id !== "string") return;
    const episodes = this.#episodes.get(video.show_id) ?? new Set();
    this.#episodes.set(video.show_id, episodes.add(id));
  }

  #rename(showId: string, title: string): void {
    for (const id of this.#episodes.get(showId) ?? []) {
      const held = this.#videos.get(id)!;
      held.row = { ...held.row, show_title: title };
      // Complete, the fold writes the row again; otherwise the update by show covers it.
      if (this.#complete) this.#markChanged(held, this.#changedVideos);
    }
    if (!this.#complete) this.#renamedShows.set(showId, title);
  }

  #markChanged(held: Held, changed: Held[]): void {
    if (!held.changed) changed.push(held);
    held.changed = true;
  }

  /**
   * The writes of `changed` rows. While the fold is complete, each is added to `inserts`, after a
   * delete (added to `deletes`) of those the tables have. Otherwise each is upserted: a row whose
   * first event the fold saw may be in the tables still (these events are applied again). The
   * upserts are serialized now; the inserts may be later, as rows are never changed in place.
   */
  #writes(
    table: string,
    columns: readonly string[],
    changed: readonly Held[],
    inserts: NewRows[],
    deletes: Statement[],
  ): Statement[] {
    const created: Row[] = [];
    const replaced: string[] = [];
    const upserts: Row[] = [];
    for (const held of changed) {
      if (this.#complete) {
        created.push(held.row);
        if (held.stored) replaced.push(held.row.id);
      } else upserts.push(held.row);
      held.stored = true;
      held.changed = false;
    }
    if (replaced.length > 0) {
      deletes.push({ text: `DELETE FROM ${table} WHERE id = ANY($1::uuid[])`, params: [replaced] });
    }
    // In key order, the primary key takes them in sequence rather than at random leaf pages: the
    // server's COPY then costs less (into empty tables, each goes in at the right end).
    if (created.length > 0) inserts.push({ table, columns, rows: inKeyOrder(created) });
    return writeRows(table, columns, upserts, true);
  }

  /** Lets go of the rows held: from now on the fold loads what it needs, as the live path does. */
  #forget(): void {
    this.#videos.clear();
    this.#shows.clear();
    this.#episodes.clear();
    this.#complete = false;
  }

  /**
   * Loads the rows the events name that the fold does not hold yet, except those whose first event
   * here creates them: the fold builds such a row from its whole history, and if the table has it
   * (these events are applied again), the upsert keeps the stored row, which is as new or newer.
   * Live batches of new videos so need no read at all.
   */
  async #loadMissing(events: readonly RecordedEvent[]): Promise<void> {
    const videoIds = new Set<string>();
    const showIds = new Set<string>();
    const created = new Set<string>();
    const want = (id: unknown, creates: boolean, held: Map<string, Held>, ids: Set<string>) => {
      if (typeof id !== "string" || held.has(id) || ids.has(id) || created.has(id)) return;
      (creates ? created : ids).add(id);
    };
    for (const { type, data } of events) {
      want(data.video_id, type === "VideoCreated", this.#videos, videoIds);
      want(data.show_id, type === "ShowCreated", this.#shows, showIds);
    }
    // Both asked at once: on a server they go out together on the transaction's connection.
    const [videos, shows] = await Promise.all([
      load(this.reader, `${this.schema}.videos`, videoIds),
      load(this.reader, `${this.schema}.shows`, showIds),
    ]);
    for (const row of videos) {
      this.#videos.set(row.id, { row, stored: true, changed: false });
      this.#trackEpisode(row.id, row);
    }
    for (const row of shows) this.#shows.set(row.id, { row, stored: true, changed: false });
  }
}

/** The row after the event, or undefined when the event does not apply (no such row yet). */
function evolve(
  current: Row | undefined,
  event: RecordedEvent,
  data: Record<string, unknown>,
  shows: Map<string, Held>,
): Row | undefined {
  if (event.type === "VideoCreated") {
    return current ? undefined : newVideoRow(event, shows.get(String(data.show_id))?.row.title);
  }
  if (event.type === "ShowCreated") return current ? undefined : newShowRow(event);
  if (!current) return undefined;
  // A copy of the row's own shape, its fields then set one by one.
  const next: Row = { ...current, version: event.stream_version, updated_at: event.recorded_at };
  switch (event.type) {
    case "VideoMetadataUpdated":
    case "ShowMetadataUpdated":
      for (const [field, value] of Object.entries(data.changes as Record<string, unknown>)) {
        if (EDITABLE.has(field)) next[field] = field === "tags" ? value ?? [] : value;
      }
      return next;
    case "VideoGeoRestricted":
      next.geo_restriction = data.geo_restriction;
      return next;
    default:
      next.status = statusAfter(event.type);
      return next;
  }
}

/** Row indexes fit below this in a sort key (a write holds far fewer rows). */
const INDEX_SPAN = 2 ** 21;

/**
 * The rows in the order of their ids' first 32 bits (canonical ids, hex, sort as their bytes do),
 * which is all the primary key needs to take them in sequence: sorting numbers costs a fraction of
 * comparing the ids' texts. Each key is those bits and the row's index below them.
 */
function inKeyOrder(rows: readonly Row[]): Row[] {
  if (rows.length >= INDEX_SPAN) return [...rows];
  const keys = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const leading = parseInt(rows[i]!.id.slice(0, 8), 16);
    keys[i] = (Number.isNaN(leading) ? 0 : leading) * INDEX_SPAN + i;
  }
  keys.sort();
  return Array.from(keys, (key) => rows[key % INDEX_SPAN]!);
}

async function load(reader: SqlExecutor, table: string, ids: Set<string>): Promise<Row[]> {
  if (ids.size === 0) return [];
  const rows = await reader.query<Row>(`SELECT * FROM ${table} WHERE id = ANY($1::uuid[])`, [
    [...ids],
  ]);
  return rows.map((row) => ({ ...row, id: String(row.id) }));
}

/**
 * A row the fold holds, with what it knows of it, so that the fold looks a row up once per event.
 * The row itself is replaced, never changed: a drain may still be serializing the one it took.
 */
interface Held {
  row: Row;
  /** The tables have it: loaded, or written by an earlier drain. */
  stored: boolean;
  /** Changed since the last drain (and so in the fold's list of changed rows). */
  changed: boolean;
}

interface Statement {
  text: string;
  params: unknown[];
}

/** Rows of a table that it does not have yet. */
interface NewRows {
  table: string;
  columns: readonly string[];
  rows: Row[];
}

/** Rows per statement: larger record sets spill the function scan to disk on the server. */
const ROWS_PER_STATEMENT = 2_000;

/**
 * Statements writing rows, up to ROWS_PER_STATEMENT each. An upsert leaves a row already newer in
 * the table as it is. (`json`, not `jsonb`: read as it is parsed, not converted first; measured
 * faster.)
 */
function writeRows(
  table: string,
  columns: readonly string[],
  rows: Row[],
  upsert: boolean,
): Statement[] {
  const updates = columns.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`).join(", ");
  const onConflict = upsert
    ? `ON CONFLICT (id) DO UPDATE SET ${updates} WHERE ${
      table.split(".")[1]
    }.version < excluded.version`
    : "";
  const statements: Statement[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    // The rows as they are: a column without a key is null, a key without a column is ignored.
    const records = rows.slice(start, start + ROWS_PER_STATEMENT);
    statements.push({
      text:
        `INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1::text::json)
             ${onConflict}`,
      params: [JSON.stringify(records)],
    });
  }
  return statements;
}
