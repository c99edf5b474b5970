/** Several processes run the same projections against one PostgreSQL server: one owner at a time. */
import assert from "node:assert/strict";
import { jsonLogger } from "../../adapters/logging/json-logger.ts";
import { PostgresEventStore } from "../../adapters/postgres/event-store.ts";
import { migrate } from "../../adapters/postgres/migrate.ts";
import { migrations } from "../../adapters/postgres/migrations/index.ts";
import { connectPostgres } from "../../adapters/postgres/postgres-js-client.ts";
import { integrationTest } from "../../adapters/testing/integration.ts";
import { withScratchDatabase } from "../../adapters/testing/scratch-database.ts";
import { ProjectionRuntime } from "./runtime.ts";
import { tally, until } from "./testing.ts";

integrationTest({
  name: "one runtime owns a generation; another takes over when it stops; nothing applied twice",
  requires: ["POSTGRES_URL"],
  fn: ({ POSTGRES_URL }) => withScratchDatabase(POSTGRES_URL, oneOwnerAtATime),
});

async function oneOwnerAtATime(POSTGRES_URL: string) {
  const run = crypto.randomUUID().slice(0, 8);
  const types = [`Played_${run}`, `Paused_${run}`, `Poison_${run}`];
  const name = `tally_${run}`;
  const processes = await Promise.all([1, 2].map(async () => {
    const sql = connectPostgres({ url: POSTGRES_URL, max: 4 });
    await migrate(sql, migrations);
    const store = await PostgresEventStore.open(sql);
    const runtime = new ProjectionRuntime({
      sql,
      store,
      logger: jsonLogger("silent"),
      projections: [tally(name, 1, types).projection],
      tickMs: 50,
      batchSize: 20,
    });
    return { sql, store, runtime };
  }));
  const [first, second] = processes as [typeof processes[0], typeof processes[0]];
  const append = async (count: number) => {
    for (let i = 0; i < count; i++) {
      await first.store.appendToStream(`player-${run}-${i % 5}`, [{
        event_id: crypto.randomUUID(),
        type: types[i % 2]!,
        schema_version: 1,
        data: {},
      }]);
    }
  };
  const applied = async () => {
    const rows = await first.sql.query<{ n: number }>(
      `SELECT coalesce(sum(n), 0)::int AS n FROM ${name}.counts`,
    );
    return rows[0]!.n;
  };
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
