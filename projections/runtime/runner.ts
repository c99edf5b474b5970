/**
 * Runs one generation of a projection: holds its ownership lock, follows the event store from the
 * generation's checkpoint, and applies each batch with the checkpoint in one transaction. A
 * building generation that has caught up with the store is promoted to live.
 */
import type { EventStore, RecordedEvent } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import { applyBatch, type PoisonPolicy } from "./apply-batch.ts";
import { advanceCheckpoint, type Generation, promote, StaleGeneration } from "./generations.ts";
import type { SqlProjection } from "./projection.ts";

export interface RunnerDeps {
  sql: SqlClient;
  store: EventStore;
  logger: Logger;
  onPoison: PoisonPolicy;
  batchSize: number;
}

/** Why a runner stopped. */
export type RunnerExit = "not_owner" | "stopped" | "retired";

export async function runGeneration(
  deps: RunnerDeps,
  projection: SqlProjection,
  start: Generation,
  signal: AbortSignal,
): Promise<RunnerExit> {
  const lock = await deps.sql.reserve();
  const key = `projection:${projection.name}:${start.generation}`;
  try {
    const [row] = await lock.query<{ owner: boolean }>(
      "SELECT pg_try_advisory_lock(hashtext($1)) AS owner",
      [key],
    );
    if (!row?.owner) return "not_owner";
    try {
      return await follow(deps, projection, start, signal);
    } finally {
      await lock.query("SELECT pg_advisory_unlock(hashtext($1))", [key]);
    }
  } finally {
    await lock.release();
  }
}

async function follow(
  deps: RunnerDeps,
  projection: SqlProjection,
  start: Generation,
  signal: AbortSignal,
): Promise<RunnerExit> {
  const { sql, store } = deps;
  const handled = new Set(projection.eventTypes);
  const log = deps.logger.child({ projection: projection.name, generation: start.generation });
  // The generation as stored once ownership is taken: a previous owner may have moved it on.
  const [current] = await sql.query<{ position: string | null; status: string }>(
    "SELECT position, status FROM projection_generations WHERE projection = $1 AND generation = $2",
    [projection.name, start.generation],
  );
  if (!current || current.status === "retired") return "retired";
  let position = current.position;

  const apply = async (batch: readonly RecordedEvent[]) => {
    const last = batch[batch.length - 1]!;
    const relevant = batch.filter((event) => handled.has(event.type));
    await sql.transaction(async (tx) => {
      const parked = await applyBatch(tx, projection, start.generation, relevant, deps.onPoison);
      if (parked > 0) log.warn("parked poison events", { count: parked });
      const checkpoint = {
        position: last.position,
        global_position: last.global_position,
        last_event_at: last.recorded_at,
      };
      const applied = relevant.length - parked;
      await advanceCheckpoint(
        tx,
        projection.name,
        start.generation,
        position,
        checkpoint,
        applied,
      );
    });
    position = last.position;
  };

  try {
    if (current.status === "building") {
      // Catch up page by page; reaching the end of the log is when the new generation goes live.
      for (;;) {
        if (signal.aborted) return "stopped";
        const batch = await store.readAll({
          after: position ?? undefined,
          max_count: deps.batchSize,
        });
        if (batch.length === 0) break;
        await apply(batch);
      }
      await sql.transaction((tx) => promote(tx, projection, start.generation, position));
      log.info("rebuilt generation is live", { position });
    }
    const batches = store.subscribeToAll({
      after: position ?? undefined,
      max_count: deps.batchSize,
      signal,
    });
    for await (const batch of batches) await apply(batch);
    return "stopped";
  } catch (error) {
    if (error instanceof StaleGeneration) return "retired";
    throw error;
  }
}
