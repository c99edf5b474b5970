/**
 * The snapshots port: an aggregate's folded state saved at a stream version, so that loading it
 * reads only the events after that version. A snapshot is a shortcut and nothing more: without one
 * (lost, stale, never taken) the aggregate is folded from its first event, with the same result.
 */
import type { JsonObject } from "./event-store.ts";

export interface Snapshot {
  /** The stream version the state includes. */
  version: number;
  /** The id of the event at that version; a stream rewritten since (restored, recreated) differs. */
  event_id: string;
  state: JsonObject;
}

export interface SnapshotStore {
  /** The snapshot of `stream` taken under `schema` (the state's shape), if there is one. */
  load(stream: string, schema: number): Promise<Snapshot | undefined>;
  /** Keeps `snapshot` unless one of a later version under the same schema is stored already. */
  save(stream: string, schema: number, snapshot: Snapshot): Promise<void>;
}
