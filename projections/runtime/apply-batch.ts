/**
 * Applies a batch inside the caller's transaction. If the batch fails, each event is retried alone
 * so that only the poison events are set aside: parked in the dead-letter table (the default) or,
 * with `onPoison: "stop"`, thrown so the projection halts at the event.
 */
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { park } from "./generations.ts";
import { generationSchema, type SqlProjection } from "./projection.ts";

export type PoisonPolicy = "park" | "stop";

export class PoisonEventError extends Error {
  override readonly name = "PoisonEventError";
  constructor(readonly event: RecordedEvent, cause: unknown) {
    super(
      `event ${event.event_id} (${event.type} at ${event.position}) failed: ${describe(cause)}`,
      {
        cause,
      },
    );
  }
}

/** Returns how many events were parked. */
export async function applyBatch(
  tx: SqlExecutor,
  projection: SqlProjection,
  generation: number,
  events: readonly RecordedEvent[],
  onPoison: PoisonPolicy,
): Promise<number> {
  const schema = generationSchema(projection.name, generation);
  if (await attempt(tx, () => projection.apply(tx, schema, events)) === undefined) return 0;
  let parked = 0;
  for (const event of events) {
    const error = await attempt(tx, () => projection.apply(tx, schema, [event]));
    if (error === undefined) continue;
    if (onPoison === "stop") throw new PoisonEventError(event, error);
    await park(tx, projection.name, generation, event, describe(error));
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
