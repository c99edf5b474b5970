/**
 * The event store port on EventStoreDB (gRPC client). $all is EventStoreDB's single log, so its
 * order is the commit order; each event's position there is its (commit, prepare) pair.
 */
import {
  type AllStreamResolvedEvent,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  jsonEvent,
  type Position,
  type ReadStreamOptions as ClientReadStreamOptions,
  type RecordedEvent as ClientRecordedEvent,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
} from "@eventstore/db-client";
import {
  type AppendResult,
  DuplicateEventError,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllFilter,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoreHead,
  type SubscribeOptions,
  WrongExpectedVersionError,
} from "../../domain/ports/event-store.ts";
import { assertStreamName, validateAppend } from "../event-store/validate-append.ts";
import {
  batchesOf,
  findStoredIds,
  formatPosition,
  fromStoredMetadata,
  isAfter,
  isSystemEvent,
  parsePosition,
  toExpectedRevision,
  toStoredMetadata,
  toVersion,
} from "./mapping.ts";

const DEFAULT_BATCH = 1000;
const HEAD_LOOKBACK = 100;
/** How long a subscription lets events gather before it yields a batch that is not full. */
const LINGER_MS = 5;

export class EventStoreDbEventStore implements EventStore {
  private constructor(private readonly client: EventStoreDBClient) {}

  /** E.g. "esdb://localhost:2113?tls=false". The client connects on first use. */
  static connect(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    { expected_version = "any" }: { expected_version?: ExpectedVersion } = {},
  ): Promise<AppendResult> {
    const serialized = validateAppend(stream, events);
    const proposed = serialized.map(({ event }) =>
      jsonEvent({
        id: event.event_id,
        type: event.type,
        data: event.data,
        metadata: toStoredMetadata(event.metadata ?? {}, event.schema_version),
      })
    );
    try {
      // EventStoreDB itself turns a repeat of a stored batch at the same place into a success.
      const result = await this.client.appendToStream(stream, proposed, {
        expectedRevision: toExpectedRevision(expected_version),
      });
      if (!result.success) {
        // Only when the connection string sets throwOnAppendFailure=false.
        return await this.#resolveRejected(stream, events, expected_version, null);
      }
      const position = result.position ??
        await this.#positionAt(stream, result.nextExpectedRevision);
      return toAppendResult(result.nextExpectedRevision, position);
    } catch (error) {
      if (!(error instanceof ClientWrongExpectedVersionError)) throw error;
      return await this.#resolveRejected(
        stream,
        events,
        expected_version,
        toVersion(error.actualVersion),
      );
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamName(stream);
    if (options.max_count === 0) return [];
    const fromVersion = Math.max(options.from_version ?? 1, 1);
    const events = await this.#read(stream, {
      fromRevision: BigInt(fromVersion - 1),
      ...(options.max_count === undefined ? {} : { maxCount: options.max_count }),
    });
    return events.map(toRecordedEvent);
  }

  /**
   * The client reads $all without a server-side filter (that is for subscriptions), so the event
   * types are filtered here, before conversion; metadata is read anyway (it holds the schema
   * version) and only left out of the result.
   */
  async readAll(options: ReadAllOptions & ReadAllFilter = {}): Promise<RecordedEvent[]> {
    const maxCount = options.max_count ?? DEFAULT_BATCH;
    const events: RecordedEvent[] = [];
    const types = options.event_types && new Set(options.event_types);
    const wanted = types ? (event: ClientRecordedEvent) => types.has(event.type) : undefined;
    let cursor = options.after === undefined ? undefined : parsePosition(options.after);
    // Pages may hold only system events (or other types); read on until maxCount or the end.
    while (events.length < maxCount) {
      // +1: a read from a position includes the event at that position, which was seen already.
      const pageSize = maxCount - events.length + 1;
      const page = await collect(
        this.client.readAll({ fromPosition: cursor ?? START, maxCount: pageSize }),
      );
      const ours = toPortEvents(page, cursor, wanted);
      events.push(...(options.metadata === false ? ours.map(withoutMetadata) : ours));
      const last = page.at(-1)?.event?.position;
      if (page.length < pageSize || !last) break;
      cursor = last;
    }
    return events.slice(0, maxCount);
  }

  async *subscribeToAll(
    { after, max_count = DEFAULT_BATCH, signal }: SubscribeOptions = {},
  ): AsyncIterable<RecordedEvent[]> {
    const from = after === undefined ? undefined : parsePosition(after);
    if (signal?.aborted) return;
    const subscription = this.client.subscribeToAll({
      fromPosition: from ?? START,
      filter: excludeSystemEvents(),
    });
    try {
      const batches = batchesOf<AllStreamResolvedEvent>(subscription, {
        maxCount: max_count,
        lingerMs: LINGER_MS,
        signal,
      });
      for await (const batch of batches) {
        const events = toPortEvents(batch, from);
        if (events.length > 0) yield events;
      }
      if (!signal?.aborted) throw new Error("EventStoreDB ended the subscription to $all");
    } finally {
      // Nobody listens any more; an error racing the cancellation must not go unhandled.
      subscription.on("error", () => {});
      await subscription.unsubscribe();
    }
  }

  async streamExists(stream: string): Promise<boolean> {
    assertStreamName(stream);
    return (await this.#version(stream)) > 0;
  }

  async head(): Promise<StoreHead | null> {
    // The newest events of $all are often system events; look a little further back for ours.
    const newest = await collect(
      this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: HEAD_LOOKBACK }),
    );
    const [event] = toPortEvents(newest, undefined);
    return event
      ? { global_position: event.global_position, recorded_at: event.recorded_at }
      : null;
  }

  async ping(): Promise<void> {
    await collect(this.client.readAll({ maxCount: 1 }));
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** Events of a stream as the client returns them; none when the stream does not exist. */
  async #read(stream: string, options: ClientReadStreamOptions): Promise<ClientRecordedEvent[]> {
    try {
      const resolved = await collect(this.client.readStream(stream, options));
      return resolved.flatMap(({ event }) => event ? [event] : []);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  /** Servers may leave the position out of an append's answer; the event read back has it. */
  async #positionAt(stream: string, revision: bigint): Promise<Position> {
    const [event] = await this.#read(stream, { fromRevision: revision, maxCount: 1 });
    if (!event?.position) {
      throw new Error(`EventStoreDB has no position for "${stream}"@${revision}`);
    }
    return event.position;
  }

  async #version(stream: string): Promise<number> {
    const [last] = await this.#read(stream, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    return last ? toVersion(last.revision) : 0;
  }

  /**
   * EventStoreDB refused an append: either it repeats a stored batch somewhere the server does not
   * look (then it succeeds without storing twice), overlaps stored events, or the stream was not at
   * the expected version. Only this stream is searched: event ids are not indexed across streams.
   */
  async #resolveRejected(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    actualVersion: number | null,
  ): Promise<AppendResult> {
    const streamEvents = (await this.#read(stream, {})).map(toRecordedEvent);
    const { stored, sameBatch } = findStoredIds(events.map((e) => e.event_id), streamEvents);
    const last = stored.at(-1);
    if (sameBatch && last) {
      return {
        next_expected_version: last.stream_version,
        position: last.position,
        global_position: last.global_position,
      };
    }
    if (stored.length > 0) throw new DuplicateEventError(stream, stored.map((e) => e.event_id));
    throw new WrongExpectedVersionError(
      stream,
      expected,
      actualVersion ?? streamEvents.at(-1)?.stream_version ?? 0,
    );
  }
}

function toAppendResult(lastRevision: bigint, position: Position): AppendResult {
  return {
    next_expected_version: toVersion(lastRevision),
    position: formatPosition(position),
    global_position: Number(position.commit),
  };
}

/**
 * Our events among those read from $all, strictly after `after` (reads include that position),
 * and of those the `wanted` ones.
 */
function toPortEvents(
  resolved: readonly AllStreamResolvedEvent[],
  after: Position | undefined,
  wanted?: (event: ClientRecordedEvent) => boolean,
): RecordedEvent[] {
  return resolved.flatMap(({ event }) =>
    event && event.isJson && !isSystemEvent(event) &&
      (after === undefined || isAfter(event.position, after)) && (!wanted || wanted(event))
      ? [toRecordedEvent(event)]
      : []
  );
}

function toRecordedEvent(event: ClientRecordedEvent): RecordedEvent {
  if (!event.position) {
    throw new Error(
      "EventStoreDB sent an event without its position; version 22.6 or later is needed",
    );
  }
  if (!event.isJson) {
    throw new Error(
      `event ${event.id} in "${event.streamId}" is not JSON; it was not written here`,
    );
  }
  const { metadata, schema_version } = fromStoredMetadata(event.metadata);
  return {
    event_id: event.id,
    type: event.type,
    schema_version,
    data: event.data as RecordedEvent["data"],
    metadata,
    stream_name: event.streamId,
    stream_version: toVersion(event.revision),
    global_position: Number(event.position.commit),
    position: formatPosition(event.position),
    recorded_at: event.created.toISOString(),
  };
}

function withoutMetadata(event: RecordedEvent): RecordedEvent {
  return { ...event, metadata: {} };
}

async function collect<Item>(items: AsyncIterable<Item>): Promise<Item[]> {
  const collected: Item[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}
