/** Projections whose source is the telemetry log: exactly-once by their own stored checkpoint. */
import assert from "node:assert/strict";
import { KafkaTelemetryLog } from "../../adapters/kafka/telemetry-log.ts";
import { jsonLogger } from "../../adapters/logging/json-logger.ts";
import { PostgresEventStore } from "../../adapters/postgres/event-store.ts";
import { migrate } from "../../adapters/postgres/migrate.ts";
import { migrations } from "../../adapters/postgres/migrations/index.ts";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import { SqlTelemetryLog } from "../../adapters/postgres/telemetry-log.ts";
import { integrationTest } from "../../adapters/testing/integration.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import type { TelemetryLog } from "../../domain/ports/telemetry-log.ts";
import type { TelemetryProjection } from "./projection.ts";
import { ProjectionRuntime } from "./runtime.ts";
import { until } from "./testing.ts";

/** Records per session key. Not idempotent on purpose: a record applied twice shows. */
const perSession: TelemetryProjection = {
  source: "telemetry",
  name: "per_session",
  version: 1,
  tables: ["sessions"],
  setup: (tx, schema) =>
    tx.exec(
      `CREATE TABLE ${schema}.sessions (session_id text PRIMARY KEY, records integer NOT NULL)`,
    ),
  async apply(tx, schema, records) {
    for (const record of records) {
      await tx.query(
        `INSERT INTO ${schema}.sessions VALUES ($1, 1)
         ON CONFLICT (session_id) DO UPDATE SET records = sessions.records + 1`,
        [record.key],
      );
    }
  },
};

/** Runs of 25 records per key, as players send a session's events (one Kafka message each). */
async function appendRecords(log: TelemetryLog, from: number, count: number) {
  const records = Array.from({ length: count }, (_, i) => ({
    key: `session-${Math.floor((from + i) / 25) % 17}`,
    value: { seq: from + i },
  }));
  for (let i = 0; i < records.length; i += 50) await log.append(records.slice(i, i + 50));
}

async function exactlyOnceAcrossRestartsAndRebuild(sql: SqlClient, telemetry: TelemetryLog) {
  await migrate(sql, migrations);
  const store = await PostgresEventStore.open(sql);
  const runtime = () =>
    new ProjectionRuntime({
      sql,
      store,
      telemetry,
      logger: jsonLogger("silent"),
      projections: [perSession],
      tickMs: 50,
      batchSize: 40,
    });
  const applied = async () =>
    (await sql.query<{ n: number }>(
      "SELECT coalesce(sum(records), 0)::int AS n FROM per_session.sessions",
    ))[0]!.n;

  await appendRecords(telemetry, 0, 300);
  const first = runtime();
  await first.start();
  assert.equal(await until(applied, (n) => n === 300), 300);
  await first.stop();

  await appendRecords(telemetry, 300, 100);
  const second = runtime();
  await second.start();
  assert.equal(await until(applied, (n) => n === 400), 400, "resumed from its own checkpoint");
  const [status] = await second.status();
  assert.equal(status!.generations[0]!.events_applied, 400);
  assert.equal(status!.generations[0]!.events_behind, 0);

  assert.equal(await second.rebuild("per_session"), 2);
  const live = async () =>
    (await second.status())[0]!.generations.find((g) => g.status === "live")!;
  assert.equal((await until(live, (g) => g.generation === 2)).events_applied, 400);
  assert.equal(await applied(), 400);
  await second.stop();
  await store.close();
}

Deno.test("a telemetry projection on the embedded log applies every record once across restarts and a rebuild", async () => {
  const sql = await openPglite();
  await migrate(sql, migrations);
  const telemetry = await SqlTelemetryLog.open(sql, { partitions: 4 });
  await exactlyOnceAcrossRestartsAndRebuild(sql, telemetry);
  await telemetry.close();
  await sql.close();
});

integrationTest({
  name: "a telemetry projection on Kafka applies every record once across restarts and a rebuild",
  requires: ["KAFKA_BROKERS"],
  async fn({ KAFKA_BROKERS }) {
    const topic = `projection-test-${crypto.randomUUID()}`;
    const telemetry = new KafkaTelemetryLog({
      brokers: KAFKA_BROKERS.split(","),
      topic,
      partitions: 3,
    });
    const sql = await openPglite();
    try {
      await exactlyOnceAcrossRestartsAndRebuild(sql, telemetry);
    } finally {
      await telemetry.close();
      await sql.close();
    }
  },
});
