/**
 * The event store port: ordered, versioned streams plus one global log.
 *
 * Events are documents, so their fields are snake_case like the HTTP API (see
 * docs/decisions/0002-documents-are-snake-case.md). Stream versions count events: the first event of
 * a stream has version 1 and a stream with no events has version 0.
 */

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface EventMetadata {
  correlation_id?: string;
  causation_id?: string;
  /** Who caused the event: a user id, or a system actor such as "system:transcoder". */
  actor?: string;
  /** When the command that produced the event reached the server (ISO 8601). */
  received_at?: string;
  [key: string]: JsonValue | undefined;
}

/** An event on its way into the store. */
export interface NewEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  /** A UUID; appending an event id that is already stored does not store it twice. */
  event_id: string;
  type: Type;
  schema_version: number;
  data: Data;
  metadata?: EventMetadata;
}

/** An event as the store recorded it. */
export interface RecordedEvent<Type extends string = string, Data extends JsonObject = JsonObject>
  extends Required<NewEvent<Type, Data>> {
  stream_name: string;
  stream_version: number;
  /** A number that grows with each stored event; gaps are possible. For display and lag figures. */
  global_position: number;
  /**
   * Where this event sits in the global commit order: an opaque token to resume `readAll` and
   * subscriptions after it. Only the store that produced it can interpret it.
   */
  position: string;
  recorded_at: string;
}

/**
 * What an append expects of the stream: its exact current version, that it has no events
 * ("no_stream"), that it has some ("stream_exists"), or nothing ("any").
 */
export type ExpectedVersion = number | "no_stream" | "stream_exists" | "any";

export interface AppendResult {
  /** The stream's version after the append; pass it as the next expected version. */
  next_expected_version: number;
  /** Position of the last appended event. */
  position: string;
  global_position: number;
}

export interface StoreHead {
  global_position: number;
  recorded_at: string;
}

export interface ReadStreamOptions {
  /** First stream version to return (default 1). */
  from_version?: number;
  max_count?: number;
}

export interface ReadAllOptions {
  /** Return events strictly after this position; from the beginning when absent. */
  after?: string;
  max_count?: number;
}

/**
 * A reader's narrowing of `readAll`, for readers that need less than every event whole (a
 * projection catching up): the store leaves the rest out where it reads, not after sending it.
 */
export interface ReadAllFilter {
  /**
   * Only events of these types; `max_count` counts them. A page shorter than `max_count` still
   * means the end of the log was reached, but its last event is then the last one of these types:
   * events of other types after it are not seen, so a reader that must reach the head (a
   * checkpoint, say) reads on from there without the filter.
   */
  event_types?: readonly string[];
  /** false: every event's metadata comes back empty (`{}`), for readers that never look at it. */
  metadata?: boolean;
  /**
   * A hint from a reader of large pages read one after the other (a projection catching up in
   * bulk): the store may read a page in a form cheaper for the caller and dearer for the store's
   * server. The events returned are the same; stores without such a form ignore it.
   */
  packed?: boolean;
}

export interface SubscribeOptions extends ReadAllOptions {
  /** Ends the subscription; the iterator returns after the batch in hand. */
  signal?: AbortSignal;
}

export interface EventStore {
  appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options?: { expected_version?: ExpectedVersion },
  ): Promise<AppendResult>;
  /** Events of one stream in version order; empty when the stream does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Committed events of all streams in commit order, never skipping one committed late. */
  readAll(options?: ReadAllOptions & ReadAllFilter): Promise<RecordedEvent[]>;
  /**
   * Optional: where the full pages of `readAll` after `after` end, `max_count` events each, as far
   * as the log is committed now (the last, partial page left out). No event can come before these
   * positions later, so a reader may ask for several of those pages at once.
   */
  pageEnds?(options: ReadAllOptions & ReadAllFilter & { max_count: number }): Promise<string[]>;
  /**
   * Batches of committed events in commit order, first the stored ones after `after`, then new ones
   * as they commit. Never ends on its own; stop it with the signal or by leaving the loop.
   */
  subscribeToAll(options?: SubscribeOptions): AsyncIterable<RecordedEvent[]>;
  streamExists(stream: string): Promise<boolean>;
  /** The newest committed event's global position and time, for lag figures; null when empty. */
  head(): Promise<StoreHead | null>;
  /** Succeeds when the store answers; used by GET /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The stream's version did not match what the append expected. */
export class WrongExpectedVersionError extends Error {
  override readonly name = "WrongExpectedVersionError";
  constructor(
    readonly stream: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream "${stream}" is at version ${actual}, expected ${expected}`);
  }
}

/** A stream name, event or payload the store cannot accept; the message says why. */
export class InvalidEventError extends Error {
  override readonly name = "InvalidEventError";
}

/** Some, but not all, of the appended event ids are already stored. */
export class DuplicateEventError extends Error {
  override readonly name = "DuplicateEventError";
  constructor(readonly stream: string, readonly eventIds: readonly string[]) {
    super(
      `events ${
        eventIds.join(", ")
      } are already stored; re-append the whole original batch or new ids`,
    );
  }
}
