/** Helpers for the search adapters' tests and benchmark: loading the fixture, waiting for catch-up. */
import type { EventStore, RecordedEvent } from "../../domain/ports/event-store.ts";
import type { ProjectionRuntime } from "../../projections/runtime/runtime.ts";
import type { Append } from "./fixture.ts";

export async function appendAll(store: EventStore, appends: readonly Append[]): Promise<void> {
  for (const { stream, events } of appends) await store.appendToStream(stream, events);
}

/**
 * The appends as the store would record them, for feeding a projection's apply directly (the
 * benchmark's bulk load, and tests without an event store).
 */
export function recordedFrom(appends: readonly Append[]): RecordedEvent[] {
  const versions = new Map<string, number>();
  const recordedAt = Date.UTC(2026, 0, 1);
  let position = 0;
  return appends.flatMap(({ stream, events }) =>
    events.map((event) => {
      const version = (versions.get(stream) ?? 0) + 1;
      versions.set(stream, version);
      position++;
      return {
        ...event,
        metadata: {},
        stream_name: stream,
        stream_version: version,
        global_position: position,
        position: String(position),
        recorded_at: new Date(recordedAt + position * 1000).toISOString(),
      };
    })
  );
}

/** Resolves once every live generation of the runtime's projections has applied every event. */
export async function caughtUp(runtime: ProjectionRuntime, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const states = await runtime.status();
    const generations = states.flatMap((p) => p.generations);
    const errors = states.map((p) => p.last_error).filter(Boolean);
    if (errors.length > 0) throw new Error(`projection failed: ${errors.join("; ")}`);
    if (generations.every((g) => g.status === "live" && g.events_behind === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`projections did not catch up within ${timeoutMs} ms`);
}
