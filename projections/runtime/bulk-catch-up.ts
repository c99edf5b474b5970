/**
 * Catching up in bulk, for an event projection with a BulkReplay. Three things overlap: the store
 * reads the next page, the fold takes in the current one, and the previous page's rows are written
 * with the checkpoint in one transaction. Writes commit in log order, one at a time.
 */
import type { Logger } from "../../domain/ports/logger.ts";
import { awaitedLater } from "../../domain/shared/awaited-later.ts";
import { inTransaction } from "./apply-batch.ts";
import { advanceCheckpoint, eventCheckpoint, StaleGeneration } from "./generations.ts";
import {
  type BulkReplay,
  type EventProjection,
  generationSchema,
  isTransient,
} from "./projection.ts";
import type { Owned, RunnerDeps } from "./runner.ts";

/** Events per page read (and per write) while catching up. */
export const BULK_PAGE_EVENTS = 5_000;

/**
 * Catches the generation up from `position` to the end of the log and returns the position it
 * reached. If folding or writing fails (a poison event, say), the fold is dropped and the position
 * of the last committed write is returned: the caller goes on from there batch by batch.
 */
export async function bulkCatchUp(
  deps: RunnerDeps,
  projection: EventProjection,
  bulk: BulkReplay,
  owned: Owned,
  position: string | null,
  signal: AbortSignal,
  log: Logger,
): Promise<string | null> {
  const { sql, store } = deps;
  const handled = new Set(projection.eventTypes);
  const fold = bulk.begin(sql, generationSchema(projection.name, owned.generation), !position);
  const page = (after: string | null) =>
    awaitedLater(store.readAll({ after: after ?? undefined, max_count: BULK_PAGE_EVENTS }));
  let committed = position;
  let folded = position;
  let writing = Promise.resolve();
  let next = page(position);
  try {
    for (;;) {
      if (signal.aborted) break;
      const batch = await next;
      if (batch.length === 0) break;
      const last = batch[batch.length - 1]!;
      const more = batch.length === BULK_PAGE_EVENTS;
      // On a server, the next page is read meanwhile; PGlite's one connection would only queue it.
      if (more && sql.shared) next = page(last.position);
      const relevant = batch.filter((event) => handled.has(event.type));
      await fold.add(relevant);
      const write = fold.drain();
      const from = folded;
      folded = last.position;
      await writing; // the previous page's write commits first: checkpoints move in order
      writing = awaitedLater(
        inTransaction(sql, async (tx) => {
          await write(tx);
          const to = eventCheckpoint(last);
          await advanceCheckpoint(tx, projection.name, owned.generation, from, to, relevant.length);
        }).then(() => void (committed = last.position)),
      );
      if (!sql.shared) await writing;
      if (!more) break;
      if (!sql.shared) next = page(last.position);
    }
    await writing;
  } catch (error) {
    await writing.catch(() => {}); // the write in flight settles before anyone goes on
    if (error instanceof StaleGeneration || isTransient(error)) throw error;
    log.warn("bulk catch-up failed: going on batch by batch", { position: committed, error });
  }
  return committed;
}
