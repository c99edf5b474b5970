/**
 * Catching up in bulk, for an event projection with a BulkReplay. Pages are read ahead (on a server,
 * two at a time where the store names where its pages end) and folded one after the other; the
 * fold's rows are written with the checkpoint in one transaction once per chunk of pages
 * (BulkReplay.eventsPerWrite) and at the end, so a row the chunk changes many times is written once,
 * while the next chunk is read and folded. Writes commit in log order, one at a time, with at most
 * one more queued behind. Chunks are large: on two cores, a write overlapping the reads costs them
 * as much as it saves, and a row changed after its write is written again (decision 0051).
 *
 * The pages hold only the projection's event types (left out by the store, not here), and no
 * metadata when the fold does not read it. When they run out, the rest of the log is read whole
 * from the last of them, so the checkpoint reaches the end of the log even where it ends in events
 * of other types.
 */
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
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

/** Events per page read while catching up. */
export const BULK_PAGE_EVENTS = 5_000;

/** Events folded before their rows are written, unless the projection's BulkReplay says otherwise. */
export const BULK_EVENTS_PER_WRITE = 100_000;

/** What the fold holds that is not written yet: events read, of them the projection's, the last. */
interface Unwritten {
  events: number;
  applied: number;
  last?: RecordedEvent;
}

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
  const eventsPerWrite = bulk.eventsPerWrite ?? BULK_EVENTS_PER_WRITE;
  let narrowed = true;
  const narrowing = () => ({
    max_count: BULK_PAGE_EVENTS,
    metadata: bulk.metadata,
    ...(narrowed ? { event_types: projection.eventTypes } : {}),
  });
  const page = (after: string | null) =>
    awaitedLater(store.readAll({
      after: after ?? undefined,
      packed: true, // large pages, one after the other: cheaper for this process (decision 0046)
      ...narrowing(),
    }));
  let committed = position;
  let written = position;
  let unwritten: Unwritten = { events: 0, applied: 0 };
  // The last write handed over, and the one before it: they commit one after the other.
  let writing = Promise.resolve();
  let before = Promise.resolve();
  let failed = false;
  // The fold folds on while writes are in flight. What it reads back (rows it let go of, say)
  // must include their rows, so it reads once they have committed.
  const afterWrite = <T>(read: () => Promise<T>) => writing.catch(() => {}).then(read);
  const reader: SqlExecutor = {
    query: (text, params) => afterWrite(() => sql.query(text, params)),
    exec: (text) => afterWrite(() => sql.exec(text)),
  };
  const fold = bulk.begin(reader, generationSchema(projection.name, owned.generation), !position);
  // Hands the rows folded since the last write to a transaction of their own, with the checkpoint.
  const write = async (last: RecordedEvent) => {
    const rows = fold.drain();
    const { applied } = unwritten;
    const from = written;
    written = last.position;
    unwritten = { events: 0, applied: 0 };
    // At most two writes outstanding: one committing, the next queued behind it (checkpoints move
    // in order), while the fold goes on rather than wait for the server.
    await before;
    before = writing;
    writing = awaitedLater(
      writing.then(() =>
        inTransaction(sql, async (tx) => {
          await rows(tx);
          const to = eventCheckpoint(last);
          await advanceCheckpoint(tx, projection.name, owned.generation, from, to, applied);
        })
      ).then(() => void (committed = last.position)),
    );
    writing.catch(() => void (failed = true));
    if (!sql.shared) await writing;
  };
  let reached = position; // the last event read
  let next = page(position);
  let pagesAsked = 1;
  // Where the full pages end, as the log is committed now: page i starts after ends[i - 1]. On a
  // server, once the store has said (the first pages are not held up for it), the page after the
  // next is asked for too, so that the server reads one while this process takes in the one before.
  let ends: readonly string[] = [];
  if (sql.shared && store.pageEnds) {
    store.pageEnds({ after: position ?? undefined, ...narrowing() })
      .then((found) => void (ends = found), () => {}); // without them, pages come one at a time
  }
  const pageAfterNext = () => {
    // Once the pages have run out, so have the ends (which, told late, may count a page since filled).
    const after = narrowed ? ends[pagesAsked - 1] : undefined;
    if (!after) return undefined;
    pagesAsked++;
    return page(after);
  };
  let ahead: ReturnType<typeof page> | undefined;
  try {
    for (;;) {
      if (signal.aborted) break;
      if (failed) await writing; // a queued write failed: its error ends the catch-up
      const batch = await next;
      const last = batch.at(-1);
      if (last) reached = last.position;
      const more = batch.length === BULK_PAGE_EVENTS;
      // The projection's events ran out: the rest of the log, if any, is read whole.
      const widen = narrowed && !more;
      if (widen) narrowed = false;
      const end = !more && !widen;
      // On a server, the next page is read meanwhile; PGlite's one connection would only queue it.
      if (!end && sql.shared) {
        // A page asked for ahead starts where the ends say this one ends. A short page ends sooner
        // (its read saw fewer events than the ends counted), and the page ahead would leave a gap.
        if (ahead && more) next = ahead;
        else {
          next = page(reached);
          pagesAsked++;
        }
        ahead = pageAfterNext();
      }
      if (last) {
        // Every event on a narrowed page is the projection's; on the rest of the log, few are.
        const relevant = batch.filter((event) => handled.has(event.type));
        await fold.add(relevant);
        unwritten = {
          events: unwritten.events + batch.length,
          applied: unwritten.applied + relevant.length,
          last,
        };
      }
      if (unwritten.last && (end || unwritten.events >= eventsPerWrite)) {
        await write(unwritten.last);
      }
      if (end) break;
      if (!sql.shared) next = page(reached);
    }
    await writing;
  } catch (error) {
    await writing.catch(() => {}); // the write in flight settles before anyone goes on
    if (error instanceof StaleGeneration || isTransient(error)) throw error;
    log.warn("bulk catch-up failed: going on batch by batch", { position: committed, error });
  }
  return committed;
}
