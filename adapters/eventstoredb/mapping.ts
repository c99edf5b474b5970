/**
 * Translations between the event store port and EventStoreDB's client, kept free of I/O so they can
 * be tested without a server. Our stream version N is EventStoreDB's revision N - 1.
 */
import {
  ANY,
  type AppendExpectedRevision,
  type CurrentRevision,
  NO_STREAM,
  type Position,
  STREAM_EXISTS,
} from "@eventstore/db-client";
import {
  type EventMetadata,
  type ExpectedVersion,
  InvalidEventError,
  type JsonObject,
} from "../../domain/ports/event-store.ts";

/** EventStoreDB events have no schema version field, so it travels in the metadata under this key. */
export const SCHEMA_VERSION_KEY = "$schema_version";

export function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  switch (expected) {
    case "any":
      return ANY;
    case "no_stream":
    case 0:
      return NO_STREAM;
    case "stream_exists":
      return STREAM_EXISTS;
  }
  // A negative revision would mean "any" or "no_stream" to the server, so refuse it here.
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`expected_version must be a version (an integer >= 0), got ${expected}`);
  }
  return BigInt(expected - 1);
}

/** The version of a stream whose last event has `revision`; 0 when it has none. */
export function toVersion(revision: CurrentRevision): number {
  return revision === NO_STREAM ? 0 : Number(revision) + 1;
}

export function formatPosition({ commit, prepare }: Position): string {
  return `${commit}/${prepare}`;
}

export function parsePosition(position: string): Position {
  const match = /^(\d+)\/(\d+)$/.exec(position);
  if (!match) {
    throw new RangeError(`"${position}" is not a position of the EventStoreDB event store`);
  }
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}

/** Whether `position` comes strictly after `other` in $all. */
export function isAfter(position: Position, other: Position): boolean {
  return position.commit > other.commit ||
    (position.commit === other.commit && position.prepare > other.prepare);
}

/** Events whose stream or type starts with "$" belong to EventStoreDB itself. */
export function isSystemEvent({ streamId, type }: { streamId: string; type: string }): boolean {
  return streamId.startsWith("$") || type.startsWith("$");
}

export function toStoredMetadata(metadata: EventMetadata, schemaVersion: number): EventMetadata {
  if (SCHEMA_VERSION_KEY in metadata) {
    throw new InvalidEventError(
      `metadata key "${SCHEMA_VERSION_KEY}" is reserved by the event store`,
    );
  }
  return { ...metadata, [SCHEMA_VERSION_KEY]: schemaVersion };
}

/**
 * Splits stored metadata back into the event's metadata and schema_version. Events that other tools
 * wrote carry no schema version; they count as version 1.
 */
export function fromStoredMetadata(
  stored: unknown,
): { metadata: EventMetadata; schema_version: number } {
  if (!isJsonObject(stored)) return { metadata: {}, schema_version: 1 };
  const { [SCHEMA_VERSION_KEY]: schemaVersion, ...metadata } = stored;
  return { metadata, schema_version: typeof schemaVersion === "number" ? schemaVersion : 1 };
}

/**
 * Which of an append's event ids the stream already holds (in stream order), and whether they are
 * exactly that batch, in order and back to back, so the append is a repeat of one that succeeded.
 */
export function findStoredIds<Stored extends { event_id: string; stream_version: number }>(
  eventIds: readonly string[],
  streamEvents: readonly Stored[],
): { stored: Stored[]; sameBatch: boolean } {
  const ids = eventIds.map((id) => id.toLowerCase());
  const wanted = new Set(ids);
  const stored = streamEvents.filter((event) => wanted.has(event.event_id.toLowerCase()));
  const sameBatch = stored.length === ids.length &&
    stored.every((event, i) =>
      event.event_id.toLowerCase() === ids[i] &&
      event.stream_version === stored[0]!.stream_version + i
    );
  return { stored, sameBatch };
}

/** What `batchesOf` needs of an object-mode Node stream such as a client subscription. */
export interface ItemSource<Item> {
  on(event: "data", listener: (item: Item) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  off(event: "data", listener: (item: Item) => void): unknown;
  off(event: "end", listener: () => void): unknown;
  off(event: "error", listener: (error: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

export interface BatchOptions {
  maxCount: number;
  /** How long to wait for more items once one is in hand (a few ms). */
  lingerMs: number;
  signal?: AbortSignal;
}

/**
 * Turns an object-mode stream (a client subscription) into batches: waits for a first item, lets
 * more arrive for `lingerMs`, and yields up to `maxCount`. The source is paused while a full batch
 * waits unread. Returns when the signal aborts or the source ends; throws the source's error after
 * the items received before it.
 */
export async function* batchesOf<Item>(
  source: ItemSource<Item>,
  { maxCount, lingerMs, signal }: BatchOptions,
): AsyncGenerator<Item[]> {
  const queue: Item[] = [];
  let ended = false;
  let failure: { error: Error } | undefined;
  let wake = () => {};
  const onData = (item: Item) => {
    queue.push(item);
    if (queue.length >= maxCount) source.pause();
    wake();
  };
  const onEnd = () => {
    ended = true;
    wake();
  };
  const onError = (error: Error) => {
    failure = { error };
    wake();
  };
  const onAbort = () => wake();
  source.on("data", onData);
  source.on("end", onEnd);
  source.on("error", onError);
  signal?.addEventListener("abort", onAbort);
  try {
    while (!signal?.aborted) {
      if (queue.length === 0) {
        if (failure) throw failure.error;
        if (ended) return;
        await new Promise<void>((resolve) => wake = resolve);
        continue;
      }
      if (queue.length < maxCount && !ended && !failure) {
        await new Promise((resolve) => setTimeout(resolve, lingerMs));
      }
      const batch = queue.splice(0, maxCount);
      if (queue.length < maxCount) source.resume();
      yield batch;
    }
  } finally {
    source.pause();
    source.off("data", onData);
    source.off("end", onEnd);
    source.off("error", onError);
    signal?.removeEventListener("abort", onAbort);
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}
