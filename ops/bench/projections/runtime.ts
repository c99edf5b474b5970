/** The projection runtime as the cases run it, and how they see a generation reach a position. */
import { jsonLogger } from "../../../adapters/logging/json-logger.ts";
import type { SqlClient } from "../../../domain/ports/sql.ts";
import type { TelemetryLog } from "../../../domain/ports/telemetry-log.ts";
import type { SqlProjection } from "../../../projections/runtime/projection.ts";
import { ProjectionRuntime } from "../../../projections/runtime/runtime.ts";
import { sleep } from "../lib/timing.ts";
import type { Engine } from "./engines.ts";

/** How often the runtime looks for generations to run or drop: retired ones go quickly. */
const TICK_MS = 100;
const CHECKPOINT_TIMEOUT_MS = 120_000;

export function benchRuntime(
  engine: Engine,
  projections: readonly SqlProjection[],
  batchSize: number,
  telemetry?: TelemetryLog,
): ProjectionRuntime {
  return new ProjectionRuntime({
    sql: engine.readModels,
    store: engine.store,
    telemetry,
    // Warnings and errors go to stderr with the progress lines; stdout carries only the report.
    logger: jsonLogger("warn", { bench: "projections" }, (line) => console.error(line)),
    projections,
    batchSize,
    tickMs: TICK_MS,
  });
}

export interface GenerationRow {
  status: string;
  /** The store's global position, or for a telemetry projection the records consumed. */
  global_position: number;
}

/**
 * Polls a generation's checkpoint every `intervalMs` until `done`; resolves to the time of the poll
 * that saw it (performance.now()). Fails after two minutes, with the runtime's last error.
 */
export async function waitForGeneration(
  sql: SqlClient,
  runtime: ProjectionRuntime,
  projection: string,
  generation: number,
  done: (row: GenerationRow) => boolean,
  intervalMs = 5,
): Promise<number> {
  const deadline = performance.now() + CHECKPOINT_TIMEOUT_MS;
  for (;;) {
    const [row] = await sql.query<GenerationRow>(
      `SELECT status, global_position FROM projection_generations
       WHERE projection = $1 AND generation = $2`,
      [projection, generation],
    );
    const now = performance.now();
    if (row && done(row)) return now;
    if (now > deadline) {
      const status = (await runtime.status()).find((s) => s.name === projection);
      throw new Error(
        `${projection} generation ${generation} did not get there in ${CHECKPOINT_TIMEOUT_MS} ms ` +
          `(at ${JSON.stringify(row)}; last error: ${status?.last_error ?? "none"})`,
      );
    }
    await sleep(intervalMs);
  }
}

/** Waits until only the live generation is left: the retired ones are dropped. */
export async function waitForRetiredDropped(
  sql: SqlClient,
  runtime: ProjectionRuntime,
  projection: string,
): Promise<void> {
  const deadline = performance.now() + CHECKPOINT_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const [row] = await sql.query<{ others: number }>(
      `SELECT count(*)::int AS others FROM projection_generations
       WHERE projection = $1 AND status <> 'live'`,
      [projection],
    );
    if (row?.others === 0) return;
    await runtime.tick();
    await sleep(TICK_MS);
  }
  throw new Error(`retired generations of ${projection} were not dropped`);
}
