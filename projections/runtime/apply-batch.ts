/**
 * Applies a batch with its checkpoint in one transaction: first the whole batch at once; if that
 * fails, again in a new transaction item by item, each behind a savepoint, so that only the poison
 * items are set aside: parked in the dead-letter table (the default) or, with `onPoison: "stop"`,
 * thrown so the projection halts at the item.
 */
import type { SqlClient, SqlExecutor, TransactionExecutor } from "../../domain/ports/sql.ts";
import { park, StaleGeneration } from "./generations.ts";
import { generationSchema, isTransient } from "./projection.ts";

export type PoisonPolicy = "park" | "stop";

export class PoisonEventError extends Error {
  override readonly name = "PoisonEventError";
  constructor(what: string, cause: unknown) {
    super(`${what} failed: ${describe(cause)}`, { cause });
  }
}

/** A projection as far as applying goes: its name and how it applies items of its source. */
export interface Applier<Item> {
  name: string;
  apply(tx: SqlExecutor, schema: string, items: readonly Item[]): Promise<void>;
}

/**
 * Runs `work` (apply a batch, advance the checkpoint) in a transaction, first with `isolate` off;
 * when that fails for any reason but an outage or a lost generation, once more with it on.
 */
export async function inBatchTransaction<T>(
  sql: SqlClient,
  work: (tx: TransactionExecutor, isolate: boolean) => Promise<T>,
): Promise<T> {
  const run = (isolate: boolean) => inTransaction(sql, (tx) => work(tx, isolate));
  try {
    return await run(false);
  } catch (error) {
    if (error instanceof StaleGeneration || isTransient(error)) throw error;
    return await run(true);
  }
}

/** A projection's transaction: read-model writes with their checkpoint. */
export function inTransaction<T>(
  sql: SqlClient,
  work: (tx: TransactionExecutor) => Promise<T>,
): Promise<T> {
  return sql.transaction(async (tx) => {
    // A crash may lose a projection's last commits but never the events they came from: the
    // checkpoint commits with the writes, so the runner replays from where it really is.
    // Not waited for: it goes out with the work's first statement, saving a round trip. Were it
    // to fail, the transaction would be aborted and the work's next statement would say so.
    const relaxed = tx.exec("SET LOCAL synchronous_commit = off");
    relaxed.catch(() => {});
    const result = await work(tx);
    await relaxed;
    return result;
  });
}

/**
 * Applies the items; with `isolate`, one by one behind savepoints, parking the failing ones.
 * Returns how many were parked. `label` names an item in errors.
 */
export async function applyBatch<Item>(
  tx: TransactionExecutor,
  projection: Applier<Item>,
  generation: number,
  items: readonly Item[],
  options: { onPoison: PoisonPolicy; isolate: boolean; label: (item: Item) => string },
): Promise<number> {
  const schema = generationSchema(projection.name, generation);
  if (!options.isolate) {
    await projection.apply(tx, schema, items);
    return 0;
  }
  let parked = 0;
  for (const item of items) {
    const error = await attempt(tx, (point) => projection.apply(point, schema, [item]));
    if (error === undefined) continue;
    if (isTransient(error)) throw error; // an outage, not a poison item: retry the batch later
    if (options.onPoison === "stop") throw new PoisonEventError(options.label(item), error);
    await park(tx, projection.name, generation, item, describe(error));
    parked++;
  }
  return parked;
}

/** Runs `work` behind a savepoint; on failure rolls back to it and returns the error. */
async function attempt(
  tx: TransactionExecutor,
  work: (tx: SqlExecutor) => Promise<void>,
): Promise<unknown> {
  try {
    await tx.savepoint(work);
    return undefined;
  } catch (error) {
    return error ?? new Error("unknown failure");
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
