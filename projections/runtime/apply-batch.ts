/**
 * Applies a batch inside the caller's transaction. If the batch fails, each item is retried alone
 * so that only the poison items are set aside: parked in the dead-letter table (the default) or,
 * with `onPoison: "stop"`, thrown so the projection halts at the item.
 */
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { park } from "./generations.ts";
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

/** Returns how many items were parked. `label` names an item in errors. */
export async function applyBatch<Item>(
  tx: SqlExecutor,
  projection: Applier<Item>,
  generation: number,
  items: readonly Item[],
  onPoison: PoisonPolicy,
  label: (item: Item) => string,
): Promise<number> {
  const schema = generationSchema(projection.name, generation);
  const failure = await attempt(tx, () => projection.apply(tx, schema, items));
  if (failure === undefined) return 0;
  if (isTransient(failure)) throw failure; // an outage, not a poison event: retry the batch later
  let parked = 0;
  for (const item of items) {
    const error = await attempt(tx, () => projection.apply(tx, schema, [item]));
    if (error === undefined) continue;
    if (onPoison === "stop") throw new PoisonEventError(label(item), error);
    await park(tx, projection.name, generation, item, describe(error));
    parked++;
  }
  return parked;
}

/** Runs `work` behind a savepoint; on failure rolls back to it and returns the error. */
async function attempt(tx: SqlExecutor, work: () => Promise<void>): Promise<unknown> {
  await tx.exec("SAVEPOINT projection_apply");
  try {
    await work();
    await tx.exec("RELEASE SAVEPOINT projection_apply");
    return undefined;
  } catch (error) {
    await tx.exec("ROLLBACK TO SAVEPOINT projection_apply");
    return error ?? new Error("unknown failure");
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
