/**
 * Time-based retention of read models. Telemetry read models grow with every session and minute
 * (the QoE viewers table by a row per viewer per minute); a projection that declares `forget`
 * drops, from its live generation, what is older than the retention period. A generation being
 * built is swept once it is live. A rebuild never brings old rows back: the telemetry log keeps its
 * records 7 days, less than any sensible retention here.
 */
import type { Logger } from "../domain/ports/logger.ts";
import { MissingRelationError, type SqlClient } from "../domain/ports/sql.ts";
import type { SqlProjection } from "./runtime/projection.ts";

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  sql: SqlClient;
  projections: readonly SqlProjection[];
  /** Days a read model keeps what `forget` would drop. */
  keepDays: number;
  logger: Logger;
  now?: () => number;
}

/** One sweep over every projection that forgets; answers the names swept. */
export async function forgetExpired(options: RetentionOptions): Promise<string[]> {
  const { sql, projections, keepDays, logger, now = Date.now } = options;
  const cutoff = new Date(now() - keepDays * DAY_MS);
  const swept: string[] = [];
  for (const projection of projections) {
    if (!projection.forget) continue;
    try {
      await sql.transaction((tx) => projection.forget!(tx, projection.name, cutoff));
      swept.push(projection.name);
    } catch (error) {
      // Not built yet: nothing to forget. Anything else must not keep the others from their turn.
      if (error instanceof MissingRelationError) continue;
      logger.warn("read-model retention failed", { projection: projection.name, error });
    }
  }
  return swept;
}
