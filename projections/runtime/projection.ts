/**
 * What a projection is: a name, a version of its read-model schema, the event types it handles,
 * and how it creates its tables and applies a batch of events to them. The runtime does the rest
 * (subscription, checkpoint, ownership, poison events, rebuilds).
 */
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";

export interface SqlProjection {
  /** Lower-case identifier; also the schema its live views are in. */
  name: string;
  /** Bump when the read model's tables or meaning change: the runtime rebuilds it beside the live one. */
  version: number;
  /** Tables of the read model; each gets a live view of the same name in the schema `name`. */
  tables: readonly string[];
  /** Event types the projection reads; others only move its checkpoint. */
  eventTypes: readonly string[];
  /** Creates the tables in `schema` (a fresh schema for each generation). */
  setup(tx: SqlExecutor, schema: string): Promise<void>;
  /**
   * Applies events in order, inside the runtime's transaction. Must be idempotent: applying the
   * same events again leaves the read model as it was (guard by stream version).
   */
  apply(tx: SqlExecutor, schema: string, events: readonly RecordedEvent[]): Promise<void>;
}

const IDENTIFIER = /^[a-z][a-z0-9_]{0,40}$/;

export function assertValidProjection(projection: SqlProjection): void {
  for (const name of [projection.name, ...projection.tables]) {
    if (!IDENTIFIER.test(name)) {
      throw new Error(`"${name}" is not a valid projection or table name`);
    }
  }
  if (!Number.isInteger(projection.version) || projection.version < 1) {
    throw new Error(`projection ${projection.name}: version must be a positive integer`);
  }
}

/** The schema that holds one generation's tables. */
export function generationSchema(projection: string, generation: number): string {
  return `${projection}_g${generation}`;
}
