/** SIGKILL under telemetry load: every event that got a 202 is in the log afterwards. */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TelemetryLog } from "../../domain/ports/telemetry-log.ts";
import { KafkaTelemetryLog } from "../kafka/telemetry-log.ts";
import { migrate } from "../postgres/migrate.ts";
import { migrations } from "../postgres/migrations/index.ts";
import { openPglite } from "../postgres/pglite-client.ts";
import { SqlTelemetryLog } from "../postgres/telemetry-log.ts";
import { deleteTopics } from "../testing/engines.ts";
import { sendUntilGone } from "../testing/ingest-load.ts";
import { integrationTest } from "../testing/integration.ts";
import { startService } from "../testing/service-process.ts";

/** Runs the service under load, kills it, and returns the event ids it acknowledged. */
async function killUnderLoad(env: Record<string, string>): Promise<Set<string>> {
  const service = await startService(Deno.execPath(), ["run", "-P=server", "main.ts"], {
    PORT: "0",
    LOG_LEVEL: "info",
    ...env,
  });
  const acknowledged = new Set<string>();
  const load = sendUntilGone(service.url, acknowledged);
  while (acknowledged.size < 600) await new Promise((resolve) => setTimeout(resolve, 5));
  await service.stop("SIGKILL");
  await load;
  return acknowledged;
}

/**
 * Reads the log until it has seen every `expected` id (or 20 s passed) and returns the ids it read.
 * The log may hold more than was acknowledged (a batch stored before the kill, never answered), so
 * a count of ids read says nothing about the acknowledged ones.
 */
async function loggedEventIds(log: TelemetryLog, expected: Set<string>): Promise<Set<string>> {
  const ids = new Set<string>();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 20_000);
  const batches = log.consume({
    group: crypto.randomUUID(),
    startOffset: () => Promise.resolve(undefined),
    signal: abort.signal,
  });
  for await (const batch of batches) {
    for (const record of batch.records) ids.add(record.value.event_id as string);
    if ([...expected].every((id) => ids.has(id))) abort.abort();
  }
  clearTimeout(timer);
  return ids;
}

function assertAllLogged(acknowledged: Set<string>, logged: Set<string>) {
  const missing = [...acknowledged].filter((id) => !logged.has(id));
  assert.deepEqual(
    missing,
    [],
    `${missing.length} of ${acknowledged.size} acknowledged events missing`,
  );
}

Deno.test("embedded: the service killed under telemetry load loses no acknowledged event", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "streaming-ingest-"));
  try {
    const acknowledged = await killUnderLoad({ DATA_DIR: dataDir });
    const sql = await openPglite(join(dataDir, "pglite"));
    await migrate(sql, migrations);
    const log = await SqlTelemetryLog.open(sql, { pruneIntervalMs: 0 });
    assertAllLogged(acknowledged, await loggedEventIds(log, acknowledged));
    await log.close();
    await sql.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

integrationTest({
  name: "Kafka: the service killed under telemetry load loses no acknowledged event",
  requires: ["KAFKA_BROKERS"],
  async fn({ KAFKA_BROKERS }) {
    const dataDir = await mkdtemp(join(tmpdir(), "streaming-ingest-"));
    const topic = `ingest-crash-${crypto.randomUUID()}`;
    const brokers = KAFKA_BROKERS.split(",");
    try {
      const acknowledged = await killUnderLoad({
        DATA_DIR: dataDir,
        TELEMETRY_LOG: "kafka",
        KAFKA_BROKERS,
        KAFKA_TOPIC: topic,
      });
      const log = new KafkaTelemetryLog({ brokers, topic });
      assertAllLogged(acknowledged, await loggedEventIds(log, acknowledged));
      await log.close();
    } finally {
      await deleteTopics(brokers, [topic]);
      await rm(dataDir, { recursive: true, force: true });
    }
  },
});
