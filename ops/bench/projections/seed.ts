/** Appends a planned catalog history through the store, as the command handler would. */
import type { PostgresEventStore } from "../../../adapters/postgres/event-store.ts";
import type { CatalogAppend } from "./catalog-history.ts";

/**
 * Each stream's appends go in plan order, each expecting the stream's version before it; with
 * several `appenders` the streams are shared among them by a hash of their name.
 */
export async function appendHistory(
  store: PostgresEventStore,
  appends: readonly CatalogAppend[],
  appenders: number,
): Promise<void> {
  const lanes = Array.from({ length: appenders }, (): CatalogAppend[] => []);
  for (const append of appends) lanes[laneOf(append.stream, appenders)]!.push(append);
  await Promise.all(lanes.map(async (lane) => {
    for (const { stream, events, expectedVersion } of lane) {
      await store.appendToStream(stream, events, { expected_version: expectedVersion });
    }
  }));
}

/** FNV-1a of the name, modulo `lanes`. */
export function laneOf(stream: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < stream.length; index++) {
    hash = Math.imul(hash ^ stream.charCodeAt(index), 0x01000193) >>> 0;
  }
  return hash % lanes;
}
