import assert from "node:assert/strict";
import { jsonLogger } from "../../adapters/logging/json-logger.ts";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import type {
  EventStore,
  NewEvent,
  ReadAllFilter,
  ReadAllOptions,
  SubscribeOptions,
} from "../../domain/ports/event-store.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import { catalogProjection } from "../catalog/projection.ts";
import type { SqlProjection } from "./projection.ts";
import { ProjectionRuntime, type RuntimeOptions } from "./runtime.ts";
import { BULK_PAGE_EVENTS } from "./bulk-catch-up.ts";
import { bulkTally, runtimeOver, tally, until } from "./testing.ts";

async function setUp(projections: SqlProjection[], options: Partial<RuntimeOptions> = {}) {
  return await runtimeOver(await openPglite(), {
    projections,
    tickMs: 20,
    batchSize: 50,
    ...options,
  });
}

const event = (type: string, data = {}): NewEvent => ({
  event_id: crypto.randomUUID(),
  type,
  schema_version: 1,
  data,
});

const counts = (sql: SqlClient, projection = "tally") =>
  sql.query<{ type: string; n: number }>(`SELECT type, n FROM ${projection}.counts ORDER BY type`);

async function appendMany(store: EventStore, types: string[]) {
  for (const [i, type] of types.entries()) {
    await store.appendToStream(`session-${i % 7}`, [event(type)]);
  }
}

Deno.test("a projection follows the store and applies each event exactly once", async () => {
  const { projection } = tally();
  const { sql, store, runtime } = await setUp([projection]);
  await appendMany(
    store,
    Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? "Paused" : "Played")),
  );
  await runtime.start();
  await appendMany(store, ["Played", "Ignored", "Played"]);
  const result = await until(
    () => counts(sql),
    (rows) => rows.find((r) => r.type === "Played")?.n === 82,
  );
  assert.deepEqual(result, [{ type: "Paused", n: 40 }, { type: "Played", n: 82 }]);

  const [status] = await runtime.status();
  assert.equal(status!.generations.length, 1);
  assert.equal(status!.generations[0]!.events_applied, 122);
  assert.equal(status!.generations[0]!.events_behind, 0);
  assert.equal(status!.generations[0]!.running_here, true);
  await runtime.stop();
  await sql.close();
});

Deno.test("a poison event is parked with its error, the rest goes on, and it can be retried", async () => {
  const { projection, state } = tally();
  const { sql, store, runtime } = await setUp([projection]);
  await runtime.start();
  await appendMany(store, ["Played", "Poison", "Played", "Paused"]);
  await until(() => counts(sql), (rows) => rows.length === 2);
  assert.deepEqual(await counts(sql), [{ type: "Paused", n: 1 }, { type: "Played", n: 2 }]);

  const [letter] = await runtime.deadLetters("tally");
  assert.equal(letter!.event.type, "Poison");
  assert.match(letter!.error, /cannot digest this/);
  await assert.rejects(runtime.retryDeadLetter("tally", letter!.id), /failed again/);

  state.poisonous = false;
  await runtime.retryDeadLetter("tally", letter!.id);
  assert.deepEqual(await runtime.deadLetters("tally"), []);
  assert.equal((await counts(sql)).find((r) => r.type === "Poison")?.n, 1);
  await runtime.stop();
  await sql.close();
});

Deno.test("with onPoison stop, the projection halts before the poison event and says why", async () => {
  const { projection } = tally();
  const { sql, store, runtime } = await setUp([projection], { onPoison: "stop" });
  await runtime.start();
  // One append, so one batch: the Played before the poison is rolled back with it. (Appended one
  // by one, the first could be applied in a batch of its own before the others commit.)
  await store.appendToStream("session-0", ["Played", "Poison", "Played"].map((t) => event(t)));
  const [status] = await until(() => runtime.status(), ([s]) => s!.last_error !== null);
  assert.match(status!.last_error!, /Poison.*cannot digest this/);
  assert.deepEqual(await counts(sql), []);
  assert.equal(status!.generations[0]!.events_applied, 0);
  await runtime.stop();
  await sql.close();
});

Deno.test("a rebuild goes live only once complete: every read in between sees a whole read model", async () => {
  const { sql, store, runtime } = await setUp([catalogProjection], { batchSize: 25 });
  const total = 300;
  for (let i = 0; i < total; i++) {
    const id = crypto.randomUUID();
    await store.appendToStream(`video-${id}`, [
      event("VideoCreated", { video_id: id, content_type: "movie", title: `Movie ${i}` }),
    ]);
  }
  await runtime.start();
  const count = () => sql.query<{ n: number }>("SELECT count(*)::int AS n FROM catalog.videos");
  await until(count, ([row]) => row!.n === total);

  const generation = await runtime.rebuild("catalog");
  assert.equal(generation, 2);
  const seen = new Set<number>();
  const live = () =>
    runtime.status().then(([s]) => s!.generations.filter((g) => g.status === "live"));
  while ((await live())[0]!.generation !== 2) seen.add((await count())[0]!.n);
  seen.add((await count())[0]!.n);
  assert.deepEqual([...seen], [total]);

  const [status] = await until(() => runtime.status(), ([s]) => s!.generations.length === 1);
  assert.deepEqual(status!.generations.map((g) => [g.generation, g.status]), [[2, "live"]]);
  const oldSchema = () =>
    sql.query(
      "SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'catalog_g1'",
    );
  assert.deepEqual(
    await until(oldSchema, (rows) => rows.length === 0),
    [],
    "the old generation is dropped",
  );
  await runtime.stop();
  await sql.close();
});

Deno.test("new projection code rebuilds beside the old read model and switches when caught up", async () => {
  const { sql, store, runtime } = await setUp([tally().projection]);
  await appendMany(store, ["Played", "Played", "Paused"]);
  await runtime.start();
  await until(() => counts(sql), (rows) => rows.length === 2);
  await runtime.stop();

  const upgraded = new ProjectionRuntime({
    sql,
    store,
    logger: jsonLogger("silent"),
    projections: [tally("tally", 2).projection],
    tickMs: 20,
  });
  await upgraded.start();
  const [status] = await until(
    () => upgraded.status(),
    ([s]) => s!.generations.length === 1 && s!.generations[0]!.version === 2,
  );
  assert.equal(status!.generations[0]!.status, "live");
  assert.deepEqual(await counts(sql), [{ type: "Paused", n: 1 }, { type: "Played", n: 2 }]);
  await upgraded.stop();
  await sql.close();
});

Deno.test("reset starts the read model again from the first event", async () => {
  const { projection } = tally();
  const { sql, store, runtime } = await setUp([projection]);
  await appendMany(store, ["Played", "Paused"]);
  await runtime.start();
  await until(() => counts(sql), (rows) => rows.length === 2);
  assert.equal(await runtime.reset("tally"), 2);
  await until(() => counts(sql), (rows) => rows.length === 2);
  assert.deepEqual(await counts(sql), [{ type: "Paused", n: 1 }, { type: "Played", n: 1 }]);
  await assert.rejects(runtime.rebuild("nope"), /no projection named "nope"/);
  await runtime.stop();
  await sql.close();
});

const indexesOf = (sql: SqlClient, schema: string) =>
  sql.query<{ indexname: string }>(
    "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname = 'counts_by_n'",
    [schema],
  );

Deno.test("a bulk catch-up applies each event once, and hands a failing fold over to batch-by-batch", async () => {
  // Writes of two pages each: the first two pages go in one write, the third fails on the poison.
  const { projection, written } = bulkTally(2 * BULK_PAGE_EVENTS);
  const { sql, store, runtime } = await setUp([projection]);
  const total = 2 * BULK_PAGE_EVENTS + 400;
  const poisonAt = 2 * BULK_PAGE_EVENTS + 200;
  const types = Array.from(
    { length: total },
    (_, i) => i === poisonAt ? "Poison" : i % 3 === 0 ? "Paused" : "Played",
  );
  for (let start = 0; start < total; start += 100) {
    const events = types.slice(start, start + 100).map((type) => ({
      event_id: crypto.randomUUID(),
      type,
      schema_version: 1,
      data: {},
    }));
    await store.appendToStream(`session-${start}`, events);
  }
  await runtime.start();
  const sum = (rows: { n: number }[]) => rows.reduce((all, row) => all + row.n, 0);
  const applied = await until(() => counts(sql), (rows) => sum(rows) === total - 1, 60_000);
  const paused = types.filter((type) => type === "Paused").length;
  assert.deepEqual(applied, [
    { type: "Paused", n: paused },
    { type: "Played", n: total - 1 - paused },
  ]);
  const [letter] = await runtime.deadLetters("tally");
  assert.equal(letter!.event.type, "Poison");
  const [status] = await runtime.status();
  assert.equal(status!.generations[0]!.events_applied, total - 1);
  assert.equal(written.writes, 1);
  // The live generation of a first start is indexed after its bulk load, not during it.
  assert.deepEqual(written.indexed, [false]);
  assert.deepEqual(await indexesOf(sql, "tally_g1"), [{ indexname: "counts_by_n" }]);
  await runtime.stop();
  await sql.close();
});

/** The store, noting the options of each readAll and where each subscription starts. */
function noting(store: EventStore) {
  const reads: (ReadAllOptions & ReadAllFilter)[] = [];
  const subscribedAfter: (string | undefined)[] = [];
  const noted = new Proxy(store, {
    get(target, key) {
      if (key === "readAll") {
        return (options: ReadAllOptions & ReadAllFilter) => {
          reads.push(options);
          return target.readAll(options);
        };
      }
      if (key === "subscribeToAll") {
        return (options: SubscribeOptions) => {
          subscribedAfter.push(options.after);
          return target.subscribeToAll(options);
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { noted, reads, subscribedAfter };
}

Deno.test("a bulk catch-up reads the projection's events only, and reaches the end of a log that ends in others", async () => {
  const { projection } = bulkTally();
  const { sql, store } = await setUp([projection]);
  await appendMany(store, ["Played", "Other", "Paused"]);
  const tail = BULK_PAGE_EVENTS + 30; // more than a page of events the projection does not handle
  let end = "";
  for (let start = 0; start < tail; start += 1_000) {
    const events = Array.from({ length: Math.min(1_000, tail - start) }, () => event("Other"));
    end = (await store.appendToStream(`other-${start}`, events)).position;
  }
  const { noted, reads, subscribedAfter } = noting(store);
  const runtime = new ProjectionRuntime({
    sql,
    store: noted,
    logger: jsonLogger("silent"),
    projections: [projection],
    tickMs: 20,
    batchSize: 50,
  });
  await runtime.start();
  await until(() => Promise.resolve(subscribedAfter.length), (subscriptions) => subscriptions > 0);
  // The live generation follows from the end of the log: the catch-up itself crossed the tail.
  assert.deepEqual(subscribedAfter, [end]);
  const [status] = await runtime.status();
  assert.equal(status!.generations[0]!.global_position, (await store.head())!.global_position);
  // Narrowed pages first (here one, short), then the rest of the log whole, in pages.
  assert.deepEqual(reads.map((read) => read.event_types), [
    projection.eventTypes,
    undefined,
    undefined,
  ]);
  assert.deepEqual(reads.map((read) => read.packed), [true, true, true]);
  assert.deepEqual(await counts(sql), [{ type: "Paused", n: 1 }, { type: "Played", n: 1 }]);
  await runtime.stop();
  await sql.close();
});

Deno.test("a rebuilding generation gets its secondary indexes when it goes live", async () => {
  const { sql, store, runtime } = await setUp([bulkTally().projection]);
  await store.appendToStream("session-1", [
    { event_id: crypto.randomUUID(), type: "Played", schema_version: 1, data: {} },
  ]);
  await runtime.start();
  await until(() => counts(sql), (rows) => rows.length === 1);
  assert.equal(await runtime.rebuild("tally"), 2);
  const live = () =>
    runtime.status().then(([s]) => s!.generations.find((g) => g.status === "live")?.generation);
  assert.equal(await until(live, (generation) => generation === 2), 2);
  assert.deepEqual(await indexesOf(sql, "tally_g2"), [{ indexname: "counts_by_n" }]);
  assert.deepEqual(await counts(sql), [{ type: "Played", n: 1 }]);
  await runtime.stop();
  await sql.close();
});
