/**
 * Runs one generation of a projection: takes its ownership lock (a session advisory lock, released
 * when the holder's connection ends, so a dead process's generation is taken over), then follows the
 * projection's source from the generation's checkpoint.
 */
import type { EventStore } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import type { TelemetryLog } from "../../domain/ports/telemetry-log.ts";
import type { PoisonPolicy } from "./apply-batch.ts";
import { followEvents } from "./follow-events.ts";
import { followTelemetry } from "./follow-telemetry.ts";
import { type Generation, StaleGeneration } from "./generations.ts";
import type { OwnershipLocks } from "./ownership-locks.ts";
import type { SqlProjection } from "./projection.ts";

export interface RunnerDeps {
  sql: SqlClient;
  /** Where this process holds its projections' ownership locks. */
  locks: OwnershipLocks;
  store: EventStore;
  telemetry?: TelemetryLog;
  logger: Logger;
  onPoison: PoisonPolicy;
  batchSize: number;
}

/** Why a runner stopped. */
export type RunnerExit = "not_owner" | "stopped" | "retired";

/** The generation as one owner found it. */
export interface Owned {
  generation: number;
  position: string | null;
  building: boolean;
}

export async function runGeneration(
  deps: RunnerDeps,
  projection: SqlProjection,
  start: Generation,
  signal: AbortSignal,
  onOwned: () => void = () => {},
): Promise<RunnerExit> {
  const key = `projection:${projection.name}:${start.generation}`;
  const lock = await deps.locks.tryLock(key);
  if (!lock) return "not_owner";
  onOwned();
  try {
    const owned = await ownedGeneration(deps.sql, projection.name, start.generation);
    if (!owned) return "retired";
    if (projection.source === "events") await followEvents(deps, projection, owned, signal);
    else await followTelemetry(deps, projection, owned, signal);
    return "stopped";
  } catch (error) {
    if (error instanceof StaleGeneration) return "retired";
    throw error;
  } finally {
    await lock.release();
  }
}

/** The generation as stored once ownership is taken: a previous owner may have moved it on. */
async function ownedGeneration(
  sql: SqlClient,
  projection: string,
  generation: number,
): Promise<Owned | undefined> {
  const [row] = await sql.query<{ position: string | null; status: string }>(
    "SELECT position, status FROM projection_generations WHERE projection = $1 AND generation = $2",
    [projection, generation],
  );
  if (!row || row.status === "retired") return undefined;
  return { generation, position: row.position, building: row.status === "building" };
}
