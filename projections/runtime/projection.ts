/**
 * What a projection is: a name, a version of its read-model schema, its source (the event store's
 * ordered log, or the telemetry log), and how it creates its tables and applies a batch to them.
 * The runtime does the rest (subscription, checkpoint, ownership, poison events, rebuilds).
 */
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import type { LoggedRecord } from "../../domain/ports/telemetry-log.ts";

interface ReadModel {
  /** Lower-case identifier; also the schema its live views are in. */
  name: string;
  /** Bump when the read model's tables or meaning change: the runtime rebuilds it beside the live one. */
  version: number;
  /** Tables of the read model; each gets a live view of the same name in the schema `name`. */
  tables: readonly string[];
  /** Creates the tables in `schema` (a fresh schema for each generation). */
  setup(tx: SqlExecutor, schema: string): Promise<void>;
  /**
   * Optional: secondary indexes, one `CREATE INDEX IF NOT EXISTS <name> …` statement each (built
   * again after a crash, so they must be idempotent), kept out of `setup` so that tables are filled
   * before they are indexed. A rebuild builds them just before it goes live; an event projection
   * with a bulk path, after its bulk catch-up, each on a connection of its own (see
   * build-indexes.ts); any other live generation, at its creation.
   */
  indexes?(schema: string): readonly string[];
  /**
   * Optional: time-based retention. Deletes what the read model no longer needs from before
   * `cutoff` (minute cells, sessions long over). The retention sweep (projections/retention.ts)
   * runs it on the live generation, through the views in the schema `name`.
   */
  forget?(sql: SqlExecutor, schema: string, cutoff: Date): Promise<void>;
  /** Optional: events (or records) per applied batch, in place of the runtime's `batchSize`. */
  batchSize?: number;
  /**
   * For a read model kept partly outside SQL (a search engine's index): removes what belongs to a
   * retired generation there. Called before its schema is dropped, again on a later tick if it
   * fails, so it must be idempotent.
   */
  onRetire?(schema: string): Promise<void>;
}

/** Follows the event store in commit order. */
export interface EventProjection extends ReadModel {
  source: "events";
  /** Event types the projection reads; others only move its checkpoint. */
  eventTypes: readonly string[];
  /**
   * Applies events in order, inside the runtime's transaction. Must be idempotent: applying the
   * same events again leaves the read model as it was (guard by stream version).
   */
  apply(tx: SqlExecutor, schema: string, events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Optional: a write-once path for catching up on a long stretch of history (a rebuild, a first
   * start, a restart far behind). See BulkReplay.
   */
  bulk?: BulkReplay;
}

/**
 * Catching up in bulk: pages of events are folded in memory into rows the fold keeps, so the
 * history is read once and each row written about once (one statement per table and chunk of
 * pages, say), in the runtime's transaction with the checkpoint, without reading the tables back.
 * A fold that throws is dropped; the runtime then applies the same events batch by batch through
 * `apply`, where poison events are set aside.
 */
export interface BulkReplay {
  /**
   * Optional: events folded before the rows are written (default BULK_EVENTS_PER_WRITE), and at
   * the end. More means fewer writes of a row changed again and again, but more rows held, more
   * work lost to a crash, and a live generation that advances in larger steps.
   */
  eventsPerWrite?: number;
  /**
   * Optional: false when the fold never looks at events' metadata, so the catch-up reads events
   * without it (less to send and parse); default true.
   */
  metadata?: boolean;
  /**
   * Starts a fold over the generation in `schema`. `reader` reads rows the tables already hold;
   * `empty` says they hold none, so nothing needs reading until the first flush.
   */
  begin(reader: SqlExecutor, schema: string, empty: boolean): BulkFold;
}

export interface BulkFold {
  /** Folds the next events (the projection's types only, in log order) into the rows held. */
  add(events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Takes what changed since the last drain, synchronously (folding may go on while it is
   * written), and returns its writes, which the runtime runs in its transaction with the
   * checkpoint.
   */
  drain(): (tx: SqlExecutor) => Promise<void>;
}

/**
 * Follows the telemetry log, one partition's batch at a time (in order within a partition). A
 * rebuild replays what the log still retains.
 */
export interface TelemetryProjection extends ReadModel {
  source: "telemetry";
  /** Applies one partition's records in offset order, inside the runtime's transaction. */
  apply(tx: SqlExecutor, schema: string, records: readonly LoggedRecord[]): Promise<void>;
}

export type SqlProjection = EventProjection | TelemetryProjection;

/**
 * An outage of a store outside SQL (a search engine down) says so with `transient: true` on the
 * error: the batch is then retried on a later tick instead of its events being parked as poison.
 */
export function isTransient(error: unknown): boolean {
  return typeof error === "object" && error !== null &&
    (error as { transient?: unknown }).transient === true;
}

const IDENTIFIER = /^[a-z][a-z0-9_]{0,40}$/;

export function assertValidProjection(projection: SqlProjection): void {
  for (const name of [projection.name, ...projection.tables]) {
    if (!IDENTIFIER.test(name)) {
      throw new Error(`"${name}" is not a valid projection or table name`);
    }
  }
  if (!Number.isInteger(projection.version) || projection.version < 1) {
    throw new Error(`projection ${projection.name}: version must be a positive integer`);
  }
  const { batchSize } = projection;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new Error(`projection ${projection.name}: batchSize must be a positive integer`);
  }
}

/** The schema that holds one generation's tables. */
export function generationSchema(projection: string, generation: number): string {
  return `${projection}_g${generation}`;
}
