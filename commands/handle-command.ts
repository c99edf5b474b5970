/**
 * The command handler: load the aggregate's events, fold them into state, decide, and append with
 * the version that was read. A concurrent writer makes the append fail with a conflict; then it
 * reloads and decides again, a bounded number of times.
 */
import {
  type EventMetadata,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
  WrongExpectedVersionError,
} from "../domain/ports/event-store.ts";
import type { SnapshotStore } from "../domain/ports/snapshots.ts";
import type { Decider, DomainEvent } from "../domain/shared/decider.ts";

/** An aggregate's behaviour, how its events are stored, and the category of its streams. */
export interface Aggregate<Command, Event extends DomainEvent, State> {
  category: string;
  decider: Decider<Command, Event, State>;
  eventTypes: {
    versionOf(type: Event["type"]): number;
    fromStored(stored: RecordedEvent): Event;
  };
  /**
   * Streams that grow long (an account's, with every token refresh) save their folded state every
   * `every` events, when a snapshot store is at hand. `schema` names the state's shape: change it
   * whenever State or evolve changes, so older snapshots are left unread. State must be plain JSON.
   */
  snapshots?: { schema: number; every: number };
}

export interface CommandOptions {
  metadata?: EventMetadata;
  /** The version the caller last saw (If-Match); a different version fails without retry. */
  expectedVersion?: number;
  /** Attempts after the first on a concurrent write (default 3). */
  retries?: number;
  /** Where the aggregate's snapshots are kept, if it takes them. */
  snapshots?: SnapshotStore;
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
  snapshots?: SnapshotStore,
): Promise<Loaded<State>> {
  const stream = streamName(aggregate.category, id);
  const { state, version } = await load(store, aggregate, stream, snapshots);
  return { state, version };
}

interface LoadedFrom<State> extends Loaded<State> {
  /** The version of the snapshot the state started from; 0 without one. */
  snapshotVersion: number;
}

/** The aggregate's state: from its snapshot when there is one that still holds, else from scratch. */
async function load<Command, Event extends DomainEvent, State>(
  store: EventStore,
  aggregate: Aggregate<Command, Event, State>,
  stream: string,
  snapshots: SnapshotStore | undefined,
): Promise<LoadedFrom<State>> {
  const { decider, eventTypes } = aggregate;
  const policy = snapshots && aggregate.snapshots;
  const snapshot = policy && await snapshots.load(stream, policy.schema);
  // Read from the snapshot's own event: still there under the same id, the snapshot holds.
  const fromSnapshot = snapshot
    ? await store.readStream(stream, { from_version: snapshot.version })
    : [];
  const holds = snapshot !== undefined && fromSnapshot[0]?.event_id === snapshot.event_id;
  const recorded = holds ? fromSnapshot.slice(1) : await store.readStream(stream);
  const start = holds ? snapshot.state as State : decider.initialState();
  const state = recorded.map((e) => eventTypes.fromStored(e)).reduce(decider.evolve, start);
  const snapshotVersion = holds ? snapshot.version : 0;
  return { state, version: recorded.at(-1)?.stream_version ?? snapshotVersion, snapshotVersion };
}

export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  aggregate: Aggregate<Command, Event, State>,
  id: string,
  command: Command,
  { metadata, expectedVersion, retries = 3, snapshots }: CommandOptions = {},
): Promise<Handled<Event, State>> {
  const stream = streamName(aggregate.category, id);
  for (let attempt = 0;; attempt++) {
    const { state, version, snapshotVersion } = await load(store, aggregate, stream, snapshots);
    if (expectedVersion !== undefined && expectedVersion !== version) {
      throw new WrongExpectedVersionError(stream, expectedVersion, version);
    }
    const events = aggregate.decider.decide(command, state);
    if (events.length === 0) return { state, version, events };
    const stored = events.map((event) => ({
      event_id: crypto.randomUUID(),
      type: event.type,
      schema_version: aggregate.eventTypes.versionOf(event.type),
      data: event.data as Record<string, never>,
      metadata,
    }));
    try {
      const appended = await store.appendToStream(stream, stored, {
        expected_version: version === 0 ? "no_stream" : version,
      });
      const next = events.reduce(aggregate.decider.evolve, state);
      const nextVersion = appended.next_expected_version;
      const policy = snapshots && aggregate.snapshots;
      if (policy && nextVersion - snapshotVersion >= policy.every) {
        // The events are stored: a snapshot that fails to save costs the next load a longer read.
        await snapshots.save(stream, policy.schema, {
          version: nextVersion,
          event_id: stored.at(-1)!.event_id,
          state: next as JsonObject,
        }).catch(() => {});
      }
      return { state: next, version: nextVersion, events };
    } catch (error) {
      const retry = error instanceof WrongExpectedVersionError &&
        expectedVersion === undefined && attempt < retries;
      if (!retry) throw error;
    }
  }
}
