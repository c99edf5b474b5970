/** Several processes run the same projections against one PostgreSQL server: one owner at a time. */
import assert from "node:assert/strict";
import type { PostgresEventStore } from "../../adapters/postgres/event-store.ts";
import { connectPostgres } from "../../adapters/postgres/postgres-js-client.ts";
import { integrationTest } from "../../adapters/testing/integration.ts";
import { withScratchDatabase } from "../../adapters/testing/scratch-database.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import { BackingServiceUnavailableError } from "../../domain/ports/unavailable.ts";
import { runtimeOver, tally, until } from "./testing.ts";

integrationTest({
  name: "one runtime owns a generation; another takes over when it stops; nothing applied twice",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) => withScratchDatabase(POSTGRES_URL, oneOwnerAtATime),
});

/** A tally projection of this run's own, and what a test needs to feed and read it. */
function tallyOfOwn() {
  const run = crypto.randomUUID().slice(0, 8);
  const types = [`Played_${run}`, `Paused_${run}`, `Poison_${run}`];
  const name = `tally_${run}`;
  return {
    /** A process of the service: its own pool, event store and projection runtime. */
    process(POSTGRES_URL: string) {
      return runtimeOver(connectPostgres({ url: POSTGRES_URL, max: 4 }), {
        projections: [tally(name, 1, types).projection],
        tickMs: 50,
        batchSize: 20,
      });
    },
    async append(store: PostgresEventStore, count: number) {
      for (let i = 0; i < count; i++) {
        const event = {
          event_id: crypto.randomUUID(),
          type: types[i % 2]!,
          schema_version: 1,
          data: {},
        };
        // After a backend was terminated, a pooled connection may fail once, as a client would
        // see a 503: retry that (the same event id, so it cannot land twice).
        for (let attempt = 1;; attempt++) {
          try {
            await store.appendToStream(`player-${run}-${i % 5}`, [event]);
            break;
          } catch (error) {
            if (!(error instanceof BackingServiceUnavailableError) || attempt === 3) throw error;
          }
        }
      }
    },
    async applied(sql: SqlClient) {
      const rows = await sql.query<{ n: number }>(
        `SELECT coalesce(sum(n), 0)::int AS n FROM ${name}.counts`,
      );
      return rows[0]!.n;
    },
  };
}

async function oneOwnerAtATime(POSTGRES_URL: string) {
  const own = tallyOfOwn();
  const processes = await Promise.all([1, 2].map(() => own.process(POSTGRES_URL)));
  const [first, second] = processes as [typeof processes[0], typeof processes[0]];
  const append = (count: number) => own.append(first.store, count);
  const applied = () => own.applied(first.sql);
  try {
    await Promise.all([first.runtime.start(), second.runtime.start()]);
    await append(100);
    await until(applied, (n) => n === 100);
    const owners = async () =>
      (await Promise.all([first.runtime.status(), second.runtime.status()]))
        .map(([status]) => status!.generations[0]!.running_here);
    // A runtime that lost the race for the lock keeps trying on its ticks, but never runs it at once.
    const running = await owners();
    assert.equal(running.filter(Boolean).length, 1, `owners: ${running}`);

    const [owner, other] = running[0] ? [first, second] : [second, first];
    await owner.runtime.stop();
    await append(60);
    assert.equal(await until(applied, (n) => n === 160), 160);
    const [status] = await other.runtime.status();
    assert.equal(status!.generations[0]!.running_here, true);
    assert.equal(status!.generations[0]!.events_applied, 160);
  } finally {
    for (const { runtime, store } of processes) {
      await runtime.stop();
      await store.close();
    }
    for (const { sql } of processes) await sql.close();
  }
}

integrationTest({
  name: "the connection holding the ownership locks dies: the runtime takes them again, goes on",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) => withScratchDatabase(POSTGRES_URL, lockConnectionDies),
});

async function lockConnectionDies(POSTGRES_URL: string) {
  const own = tallyOfOwn();
  const first = await own.process(POSTGRES_URL);
  let second: Awaited<ReturnType<typeof own.process>> | undefined;
  const applied = () => own.applied(first.sql);
  try {
    await first.runtime.start();
    await own.append(first.store, 40);
    assert.equal(await until(applied, (n) => n === 40), 40);
    // As a server restart would, for this one session: its advisory locks go with it.
    const [killed] = await first.sql.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    assert.equal(killed!.n > 0, true, "a session held the ownership locks");
    await own.append(first.store, 40);
    assert.equal(await until(applied, (n) => n === 80), 80);
    const ownedAgain = () => first.runtime.status().then(([p]) => p!.generations[0]!.running_here);
    assert.equal(await until(ownedAgain, Boolean), true, "the first process owns it again");

    // The generation is owned again: a second process must not run it beside the first.
    second = await own.process(POSTGRES_URL);
    await second.runtime.start();
    await own.append(first.store, 40);
    assert.equal(await until(applied, (n) => n === 120), 120);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few of the second's ticks
    const running = await Promise.all(
      [first, second].map(async ({ runtime }) =>
        (await runtime.status())[0]!.generations[0]!.running_here
      ),
    );
    assert.deepEqual(running, [true, false]);
    assert.equal(await applied(), 120);
  } finally {
    for (const { runtime, store, sql } of second ? [first, second] : [first]) {
      await runtime.stop();
      await store.close();
      await sql.close();
    }
  }
}
