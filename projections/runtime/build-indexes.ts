/**
 * Secondary indexes of a generation whose tables were just filled in bulk: built after the load
 * rather than kept up row by row during it, each on a connection of its own (on a server they are
 * built side by side; PGlite's one connection takes them in turn). Each statement is idempotent,
 * so a runner that dies before or during this builds them again on its next start.
 */
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { generationSchema, type SqlProjection } from "./projection.ts";

export async function buildIndexes(
  sql: SqlExecutor,
  projection: SqlProjection,
  generation: number,
): Promise<void> {
  await Promise.all(
    indexStatements(projection, generation).map((statement) => sql.exec(statement)),
  );
}

/** The same indexes built in turn in the caller's transaction. */
export async function buildIndexesIn(
  tx: SqlExecutor,
  projection: SqlProjection,
  generation: number,
): Promise<void> {
  for (const statement of indexStatements(projection, generation)) await tx.exec(statement);
}

function indexStatements(projection: SqlProjection, generation: number): readonly string[] {
  return projection.indexes?.(generationSchema(projection.name, generation)) ?? [];
}

/** A live generation of a projection with a bulk path gets its indexes after its bulk catch-up. */
export function indexesAfterBulkLoad(projection: SqlProjection): boolean {
  return projection.source === "events" && projection.bulk !== undefined;
}
