/**
 * Follows the event store for one owned generation: each batch is applied with the checkpoint in
 * one transaction. A projection with a bulk path first catches up in bulk (bulk-catch-up.ts), then
 * builds its secondary indexes. A building generation then catches up page by page; reaching the
 * end of the log is when it goes live.
 */
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import { awaitedLater } from "../../domain/shared/awaited-later.ts";
import { applyBatch, inBatchTransaction } from "./apply-batch.ts";
import { buildIndexes } from "./build-indexes.ts";
import { bulkCatchUp } from "./bulk-catch-up.ts";
import { advanceCheckpoint, eventCheckpoint, promote } from "./generations.ts";
import type { EventProjection } from "./projection.ts";
import type { Owned, RunnerDeps } from "./runner.ts";

export async function followEvents(
  deps: RunnerDeps,
  projection: EventProjection,
  owned: Owned,
  signal: AbortSignal,
): Promise<void> {
  const { sql, store } = deps;
  const handled = new Set(projection.eventTypes);
  const log = deps.logger.child({ projection: projection.name, generation: owned.generation });
  let position = owned.position;

  const apply = async (batch: readonly RecordedEvent[]) => {
    const last = batch[batch.length - 1]!;
    const relevant = batch.filter((event) => handled.has(event.type));
    const checkpoint = eventCheckpoint(last);
    await inBatchTransaction(sql, async (tx, isolate) => {
      const advance = (applied: number) =>
        advanceCheckpoint(tx, projection.name, owned.generation, position, checkpoint, applied);
      const applying = applyBatch(tx, projection, owned.generation, relevant, {
        onPoison: deps.onPoison,
        isolate,
        label: (e) => `event ${e.event_id} (${e.type} at ${e.position})`,
      });
      if (!isolate) {
        // Nothing is parked on this path, so the checkpoint can go out with the batch's
        // statements rather than after them: a round trip less per batch on a server.
        await bothSettled(applying, advance(relevant.length));
        return;
      }
      const parked = await applying;
      if (parked > 0) log.warn("parked poison events", { count: parked });
      await advance(relevant.length - parked);
    });
    position = last.position;
  };

  if (projection.bulk) {
    position = await bulkCatchUp(deps, projection, projection.bulk, owned, position, signal, log);
    if (!signal.aborted) await buildIndexes(sql, projection, owned.generation);
  }
  if (owned.building) {
    const page = (after: string | null) =>
      awaitedLater(store.readAll({ after: after ?? undefined, max_count: deps.batchSize }));
    // With a connection pool, read the next page while this one is applied (PGlite has one).
    const readAhead = sql.shared;
    let next = page(position);
    for (;;) {
      if (signal.aborted) return;
      const batch = await next;
      if (batch.length === 0) break;
      const after = batch[batch.length - 1]!.position;
      if (readAhead) next = page(after);
      await apply(batch);
      if (!readAhead) next = page(after);
    }
    await sql.transaction((tx) => promote(tx, projection, owned.generation, position));
    log.info("rebuilt generation is live", { position });
  }
  const batches = store.subscribeToAll({
    after: position ?? undefined,
    max_count: deps.batchSize,
    signal,
  });
  for await (const batch of batches) await apply(batch);
}

/** Waits for both, so that no statement is left running, then fails with the first failure. */
async function bothSettled(first: Promise<unknown>, second: Promise<unknown>): Promise<void> {
  const outcomes = await Promise.allSettled([first, second]);
  for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
}
