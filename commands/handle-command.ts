/**
 * The command handler: load the aggregate's events, fold them into state, decide, and append with
 * the version that was read. A concurrent writer makes the append fail with a conflict; then it
 * reloads and decides again, a bounded number of times.
 */
import {
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
  WrongExpectedVersionError,
} from "../domain/ports/event-store.ts";
import { type Decider, type DomainEvent, fold } from "../domain/shared/decider.ts";

/** An aggregate's behaviour, how its events are stored, and the category of its streams. */
export interface Aggregate<Command, Event extends DomainEvent, State> {
  category: string;
  decider: Decider<Command, Event, State>;
  eventTypes: {
    versionOf(type: Event["type"]): number;
    fromStored(stored: RecordedEvent): Event;
  };
}

export interface CommandOptions {
  metadata?: EventMetadata;
  /** The version the caller last saw (If-Match); a different version fails without retry. */
  expectedVersion?: number;
  /** Attempts after the first on a concurrent write (default 3). */
  retries?: number;
}

export interface Loaded<State> {
  state: State;
  /** The stream's version: the number of its events. */
  version: number;
}

export interface Handled<Event, State> extends Loaded<State> {
  /** The events this command appended; empty when it changed nothing. */
  events: Event[];
}

export function streamName(category: string, id: string): string {
  return `${category}-${id}`;
}

export async function loadAggregate<Command, Event extends DomainEvent, State>(
  store: EventStore,
  aggregate: Aggregate<Command, Event, State>,
  id: string,
): Promise<Loaded<State>> {
  const recorded = await store.readStream(streamName(aggregate.category, id));
  const state = fold(aggregate.decider, recorded.map((e) => aggregate.eventTypes.fromStored(e)));
  return { state, version: recorded.at(-1)?.stream_version ?? 0 };
}

export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  aggregate: Aggregate<Command, Event, State>,
  id: string,
  command: Command,
  { metadata, expectedVersion, retries = 3 }: CommandOptions = {},
): Promise<Handled<Event, State>> {
  const stream = streamName(aggregate.category, id);
  for (let attempt = 0;; attempt++) {
    const { state, version } = await loadAggregate(store, aggregate, id);
    if (expectedVersion !== undefined && expectedVersion !== version) {
      throw new WrongExpectedVersionError(stream, expectedVersion, version);
    }
    const events = aggregate.decider.decide(command, state);
    if (events.length === 0) return { state, version, events };
    try {
      const appended = await store.appendToStream(
        stream,
        events.map((event) => ({
          event_id: crypto.randomUUID(),
          type: event.type,
          schema_version: aggregate.eventTypes.versionOf(event.type),
          data: event.data as Record<string, never>,
          metadata,
        })),
        { expected_version: version === 0 ? "no_stream" : version },
      );
      const next = events.reduce(aggregate.decider.evolve, state);
      return { state: next, version: appended.next_expected_version, events };
    } catch (error) {
      const retry = error instanceof WrongExpectedVersionError &&
        expectedVersion === undefined && attempt < retries;
      if (!retry) throw error;
    }
  }
}
