/** Test helpers for projection runtime tests. */
import type { EventProjection } from "./projection.ts";

/**
 * Counts events by type. Deliberately not idempotent, so an event applied twice shows; fails on
 * its third type ("Poison") while `poisonous` is set.
 */
export function tally(name = "tally", version = 1, types = ["Played", "Paused", "Poison"]) {
  const state = { poisonous: true };
  const projection: EventProjection = {
    source: "events",
    name,
    version,
    tables: ["counts"],
    eventTypes: types,
    setup: (tx, schema) =>
      tx.exec(`CREATE TABLE ${schema}.counts (type text PRIMARY KEY, n integer NOT NULL)`),
    async apply(tx, schema, events) {
      for (const event of events) {
        if (event.type === types[2] && state.poisonous) throw new Error("cannot digest this");
        await tx.query(
          `INSERT INTO ${schema}.counts VALUES ($1, 1) ON CONFLICT (type) DO UPDATE SET n = counts.n + 1`,
          [event.type],
        );
      }
    },
  };
  return { projection, state };
}

/** Polls `probe` until `done` says so (or the time is up) and returns the last value. */
export async function until<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
