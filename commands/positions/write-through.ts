/**
 * Positions reach the positions cache as soon as the log has them, before the watch history
 * projection does: a PUT (or a heartbeat) is visible to the next GET on any API process. A cache
 * outage is logged and does not fail the write; reads then fall back to the read model, and an
 * entry the cache missed is corrected by the next write or by its expiry.
 */
import type { Logger } from "../../domain/ports/logger.ts";
import type { PositionsCache } from "../../domain/ports/positions-cache.ts";
import { watchEntryOf } from "../../domain/watch-history/from-telemetry.ts";
import { mergeByKey } from "../../domain/watch-history/watch-entry.ts";
import type { OnAccepted } from "../telemetry/on-accepted.ts";

export function writeThroughPositions(cache: PositionsCache, logger: Logger): OnAccepted {
  return async (records) => {
    const entries = mergeByKey(records.flatMap((value) => watchEntryOf(value) ?? []));
    if (entries.length === 0) return;
    try {
      await cache.record(entries);
    } catch (error) {
      logger.warn("positions cache write failed; reads fall back to the read model", { error });
    }
  };
}
