/**
 * The runtime's hooks for read models kept partly outside SQL: onRetire, transient errors, and a
 * store that is down when the runtime starts.
 */
import assert from "node:assert/strict";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import type { EventProjection } from "./projection.ts";
import { runtimeOver, until } from "./testing.ts";

/** An "external" read model: a set of event ids per generation, down while `outage` is set. */
function externalModel() {
  const state = { outage: false, retired: [] as string[], seen: new Map<string, Set<string>>() };
  const projection: EventProjection = {
    source: "events",
    name: "external",
    version: 1,
    tables: [],
    eventTypes: ["Played"],
    setup(_tx, schema) {
      if (state.outage) return Promise.reject(new Error("engine down at setup"));
      return Promise.resolve(void state.seen.set(schema, new Set()));
    },
    apply(_tx, schema, events) {
      if (state.outage) {
        return Promise.reject(Object.assign(new Error("engine down"), { transient: true }));
      }
      for (const event of events) state.seen.get(schema)!.add(event.event_id);
      return Promise.resolve();
    },
    onRetire: (schema) => Promise.resolve(void state.retired.push(schema)),
  };
  return { projection, state };
}

const played = () => ({
  event_id: crypto.randomUUID(),
  type: "Played",
  schema_version: 1,
  data: {},
});

Deno.test("an outage error is retried, not parked, and a retired generation's store is dropped", async () => {
  const { projection, state } = externalModel();
  const { sql, store, runtime } = await runtimeOver(await openPglite(), {
    projections: [projection],
    tickMs: 20,
  });
  await runtime.start();
  state.outage = true;
  await store.appendToStream("s-1", [played(), played()]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(state.seen.get("external_g1")!.size, 0);
  assert.deepEqual(await runtime.deadLetters("external"), []);
  assert.match((await runtime.status())[0]!.last_error ?? "", /engine down/);

  state.outage = false;
  await until(() => Promise.resolve(state.seen.get("external_g1")!.size), (n) => n === 2);
  assert.equal(state.seen.get("external_g1")!.size, 2);

  await runtime.reset("external");
  await until(() => Promise.resolve(state.retired.length), (n) => n > 0);
  assert.deepEqual(state.retired, ["external_g1"]);
  await runtime.stop();
  await store.close();
  await sql.close();
});

Deno.test("a store down when the runtime starts is set up on a later tick, not fatal", async () => {
  const { projection, state } = externalModel();
  const { sql, store, runtime } = await runtimeOver(await openPglite(), {
    projections: [projection],
    tickMs: 20,
  });
  await store.appendToStream("s-1", [played()]);
  state.outage = true;
  await runtime.start();
  assert.match((await runtime.status())[0]!.last_error ?? "", /engine down at setup/);
  assert.equal(state.seen.size, 0);

  state.outage = false;
  await until(() => Promise.resolve(state.seen.get("external_g1")?.size ?? 0), (n) => n === 1);
  await runtime.stop();
  await store.close();
  await sql.close();
});
