/** Test helpers for projection runtime tests. */
import { jsonLogger } from "../../adapters/logging/json-logger.ts";
import { PostgresEventStore } from "../../adapters/postgres/event-store.ts";
import { migrate } from "../../adapters/postgres/migrate.ts";
import { migrations } from "../../adapters/postgres/migrations/index.ts";
import type { EventStore, RecordedEvent } from "../../domain/ports/event-store.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import type { BulkReplay, EventProjection } from "./projection.ts";
import { ProjectionRuntime, type RuntimeOptions } from "./runtime.ts";

/**
 * Makes stored events as the event store would answer them, one global position after the other
 * (one second apart from 2026-01-01), for feeding a projection's `apply` directly.
 */
export function eventRecorder() {
  let position = 0;
  return (stream: string, version: number, type: string, data: Record<string, unknown>) => {
    position++;
    return {
      event_id: crypto.randomUUID(),
      type,
      schema_version: 1,
      data,
      metadata: {},
      stream_name: stream,
      stream_version: version,
      global_position: position,
      position: `1/${position}`,
      recorded_at: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(),
    } as RecordedEvent;
  };
}

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

/**
 * The tally with a bulk path (counts folded in memory, added per drain, `eventsPerWrite` events a
 * drain) and an index of its own. `writes` counts the drains written; `seen`, for each page, the
 * events the fold's reader found counted in the tables before folding it; `indexed`, for each
 * write, whether the index was there.
 */
export function bulkTally(eventsPerWrite?: number) {
  const { projection, state } = tally();
  const written = { writes: 0, seen: [] as number[], indexed: [] as boolean[] };
  const bulk: BulkReplay = {
    eventsPerWrite,
    begin(reader, schema) {
      let folded = new Map<string, number>();
      return {
        async add(events) {
          const [counted] = await reader.query<{ n: number }>(
            `SELECT coalesce(sum(n), 0)::int AS n FROM ${schema}.counts`,
          );
          written.seen.push(counted!.n);
          for (const { type } of events) {
            if (type === "Poison" && state.poisonous) throw new Error("cannot digest this");
            folded.set(type, (folded.get(type) ?? 0) + 1);
          }
        },
        drain() {
          const taken = folded;
          folded = new Map();
          return async (tx) => {
            written.writes++;
            const index = await tx.query(
              "SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = 'counts_by_n'",
              [schema],
            );
            written.indexed.push(index.length > 0);
            for (const [type, n] of taken) {
              await tx.query(
                `INSERT INTO ${schema}.counts VALUES ($1, $2)
                 ON CONFLICT (type) DO UPDATE SET n = counts.n + $2`,
                [type, n],
              );
            }
          };
        },
      };
    },
  };
  const withBulk: EventProjection = {
    ...projection,
    bulk,
    indexes: (schema) => [`CREATE INDEX IF NOT EXISTS counts_by_n ON ${schema}.counts (n)`],
  };
  return { projection: withBulk, written };
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

/** What a service process has over `sql` (migrated here): its event store and a runtime, not started. */
export async function runtimeOver(
  sql: SqlClient,
  options: Omit<RuntimeOptions, "sql" | "store" | "logger">,
  /** The store as the runtime sees it (wrapped by a test, say). */
  seenAs: (store: PostgresEventStore) => EventStore = (store) => store,
) {
  await migrate(sql, migrations);
  const store = await PostgresEventStore.open(sql);
  const runtime = new ProjectionRuntime({
    sql,
    store: seenAs(store),
    logger: jsonLogger("silent"),
    ...options,
  });
  return { sql, store, runtime };
}
