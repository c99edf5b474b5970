/**
 * The runtime's book-keeping in SQL: generations of each projection (live, building, retired), their
 * checkpoints, the live views, and parked (dead-letter) events.
 */
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { buildIndexesIn, indexesAfterBulkLoad } from "./build-indexes.ts";
import { generationSchema, type SqlProjection } from "./projection.ts";

export type GenerationStatus = "building" | "live" | "retired";

export interface Generation {
  projection: string;
  generation: number;
  version: number;
  status: GenerationStatus;
  /** Where the generation has applied up to; null before its first batch. */
  position: string | null;
  global_position: number;
  events_applied: number;
  last_event_at: Date | null;
}

export interface Checkpoint {
  position: string;
  global_position: number;
  last_event_at: string;
}

export async function generationsOf(sql: SqlExecutor, projection: string): Promise<Generation[]> {
  return await sql.query<Generation>(
    `SELECT projection, generation, version, status, position, global_position, events_applied,
            last_event_at
     FROM projection_generations WHERE projection = $1 ORDER BY generation`,
    [projection],
  );
}

/**
 * Adds the next generation with its empty tables; a live one also gets the views, and its indexes
 * unless a bulk catch-up builds them after loading its rows.
 */
export async function createGeneration(
  tx: SqlExecutor,
  projection: SqlProjection,
  status: "building" | "live",
): Promise<number> {
  const [row] = await tx.query<{ generation: number }>(
    `INSERT INTO projection_generations (projection, generation, version, status)
     SELECT $1, coalesce(max(generation), 0) + 1, $2, $3
     FROM projection_generations WHERE projection = $1
     RETURNING generation`,
    [projection.name, projection.version, status],
  );
  const generation = row!.generation;
  const schema = generationSchema(projection.name, generation);
  await tx.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  await projection.setup(tx, schema);
  if (status === "live") {
    if (!indexesAfterBulkLoad(projection)) await buildIndexesIn(tx, projection, generation);
    await pointViewsAt(tx, projection, generation);
  }
  return generation;
}

/** Thrown inside a transaction to roll it back: another owner moved the generation on, or retired it. */
export class StaleGeneration extends Error {
  override readonly name = "StaleGeneration";
}

/** The checkpoint just after `last`. */
export function eventCheckpoint(last: RecordedEvent): Checkpoint {
  return {
    position: last.position,
    global_position: last.global_position,
    last_event_at: last.recorded_at,
  };
}

/**
 * Moves the checkpoint from `from` to `to`; throws StaleGeneration if another owner moved it or the
 * generation was retired meanwhile.
 */
export async function advanceCheckpoint(
  tx: SqlExecutor,
  projection: string,
  generation: number,
  from: string | null,
  to: Checkpoint,
  applied: number,
): Promise<void> {
  const rows = await tx.query(
    `UPDATE projection_generations
     SET position = $4, global_position = $5, last_event_at = $6,
         events_applied = events_applied + $7, updated_at = now()
     WHERE projection = $1 AND generation = $2 AND position IS NOT DISTINCT FROM $3
       AND status <> 'retired'
     RETURNING generation`,
    [projection, generation, from, to.position, to.global_position, to.last_event_at, applied],
  );
  if (rows.length !== 1) throw new StaleGeneration();
}

/**
 * The building generation gets its secondary indexes (unless a bulk catch-up built them) and
 * becomes live, the views point at it, and the live one is retired. Throws StaleGeneration if the
 * generation is no longer building at `position`.
 */
export async function promote(
  tx: SqlExecutor,
  projection: SqlProjection,
  generation: number,
  position: string | null,
): Promise<void> {
  await buildIndexesIn(tx, projection, generation); // already there after a bulk catch-up
  await tx.query(
    `UPDATE projection_generations SET status = 'retired', updated_at = now()
     WHERE projection = $1 AND status = 'live'`,
    [projection.name],
  );
  const promoted = await tx.query(
    `UPDATE projection_generations SET status = 'live', updated_at = now()
     WHERE projection = $1 AND generation = $2 AND status = 'building'
       AND position IS NOT DISTINCT FROM $3
     RETURNING generation`,
    [projection.name, generation, position],
  );
  if (promoted.length === 0) throw new StaleGeneration();
  await pointViewsAt(tx, projection, generation);
}

/** Retires every generation (for a reset); their tables go with the next `dropRetired`. */
export async function retireAll(tx: SqlExecutor, projection: string): Promise<void> {
  await tx.query(
    `UPDATE projection_generations SET status = 'retired', updated_at = now() WHERE projection = $1`,
    [projection],
  );
}

/** Drops a retired generation's tables and forgets it. */
export async function dropRetired(
  tx: SqlExecutor,
  projection: string,
  generation: number,
): Promise<void> {
  await tx.exec(`DROP SCHEMA IF EXISTS ${generationSchema(projection, generation)} CASCADE`);
  await tx.query(
    `DELETE FROM projection_generations WHERE projection = $1 AND generation = $2 AND status = 'retired'`,
    [projection, generation],
  );
}

async function pointViewsAt(tx: SqlExecutor, projection: SqlProjection, generation: number) {
  const schema = generationSchema(projection.name, generation);
  const statements = projection.tables.map((table) =>
    `DROP VIEW IF EXISTS ${projection.name}.${table};
     CREATE VIEW ${projection.name}.${table} AS SELECT * FROM ${schema}.${table};`
  );
  await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${projection.name}; ${statements.join("\n")}`);
}

export interface DeadLetter {
  id: number;
  generation: number;
  /** The event (or telemetry record) as the projection received it. */
  event: RecordedEvent;
  error: string;
  parked_at: Date;
}

export async function park(
  tx: SqlExecutor,
  projection: string,
  generation: number,
  event: unknown,
  error: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO projection_dead_letters (projection, generation, event, error) VALUES ($1, $2, $3, $4)`,
    [projection, generation, JSON.stringify(event), error],
  );
}

/** Open (not yet retried) dead letters of a projection; only the one with `id` when given. */
export async function openDeadLetters(
  sql: SqlExecutor,
  projection: string,
  id?: number,
): Promise<DeadLetter[]> {
  return await sql.query<DeadLetter>(
    `SELECT id, generation, event, error, parked_at FROM projection_dead_letters
     WHERE projection = $1 AND retried_at IS NULL AND ($2::bigint IS NULL OR id = $2)
     ORDER BY id`,
    [projection, id ?? null],
  );
}

export async function countOpenDeadLetters(sql: SqlExecutor, projection: string): Promise<number> {
  const [row] = await sql.query<{ open: number }>(
    `SELECT count(*)::int AS open FROM projection_dead_letters
     WHERE projection = $1 AND retried_at IS NULL`,
    [projection],
  );
  return row?.open ?? 0;
}

export async function markRetried(tx: SqlExecutor, projection: string, id: number): Promise<void> {
  await tx.query(
    `UPDATE projection_dead_letters SET retried_at = now() WHERE projection = $1 AND id = $2`,
    [projection, id],
  );
}
