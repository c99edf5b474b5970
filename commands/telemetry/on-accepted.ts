/**
 * What the write paths (ingest, positions, CMCD) tell once the telemetry log has durably stored
 * records: multi-device sync and the positions cache listen. A listener must not fail the write
 * (the records are stored): each handles its own errors.
 */
import type { JsonObject } from "../../domain/ports/event-store.ts";

/** Called with the values of records the telemetry log has durably stored; awaited before answering. */
export type OnAccepted = (records: readonly JsonObject[]) => Promise<void>;

/** One listener calling each of `listeners` (the undefined ones left out); none when all are. */
export function allOf(...listeners: (OnAccepted | undefined)[]): OnAccepted | undefined {
  const present = listeners.filter((listener) => listener !== undefined);
  if (present.length === 0) return undefined;
  return async (records) => void await Promise.all(present.map((listener) => listener(records)));
}
