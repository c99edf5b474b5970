/**
 * The telemetry case: the session projection consumes a log of heartbeats through the projection
 * runtime, against a bare consumer of the same log. On Kafka (a fresh topic) into the PostgreSQL
 * server; on the embedded table-backed log into PGlite, for comparison.
 */
import { kafkaGroupId, KafkaTelemetryLog } from "../../../adapters/kafka/telemetry-log.ts";
import { SqlTelemetryLog } from "../../../adapters/postgres/telemetry-log.ts";
import type { TelemetryLog, TelemetryRecord } from "../../../domain/ports/telemetry-log.ts";
import {
  consumerGroupOf,
  total as offsetsTotal,
} from "../../../projections/runtime/follow-telemetry.ts";
import type { TelemetryProjection } from "../../../projections/runtime/projection.ts";
import { progress } from "../lib/progress.ts";
import { formatCount } from "../lib/report.ts";
import { cpuMeter, describeCpuPer } from "./cpu-meter.ts";
import type { Engine } from "./engines.ts";
import { bareKafkaConsume, type ConsumeWindow, deleteKafkaLeftovers } from "./kafka.ts";
import type { Options } from "./options.ts";
import { rateOf, type ResultRow } from "./result.ts";
import { benchRuntime, waitForGeneration } from "./runtime.ts";
import { sessionProjection } from "./session-projection.ts";

const MIN_APPLY_RATIO = 0.5;
const APPEND_CHUNK = 1_000;
const CONSUME_TIMEOUT_MS = 120_000;
/** The session projection's own batch size (it declares one, as telemetry projections should). */
const TELEMETRY_BATCH = sessionProjection.batchSize!;

export async function benchKafkaApply(
  engine: Engine,
  options: Options,
  brokers: readonly string[],
  records: readonly TelemetryRecord[],
): Promise<ResultRow> {
  const runId = crypto.randomUUID().slice(0, 8);
  const topic = `bench-projections-${runId}`;
  const bareGroup = `bench-projections-bare-${runId}`;
  const log = new KafkaTelemetryLog({
    brokers,
    topic,
    partitions: options.partitions,
    clientId: "bench-projections",
  });
  let applied: Applied | undefined;
  try {
    progress(`Kafka: producing ${formatCount(records.length)} heartbeats to ${topic}`);
    await appendInChunks(log, records, 4);
    const [row] = await engine.sql.query<{ database: string }>(
      "SELECT current_database() AS database",
    );
    const database = row?.database ?? null;
    progress("Kafka: bare kafkajs consumer");
    let cpu = await cpuMeter(database);
    const bare = await bareKafkaConsume(brokers, topic, bareGroup, records.length);
    progress(`Kafka: bare consumer, ${describeCpuPer(await cpu(), records.length, "record")}`);
    progress(`${engine.label}: session projection from Kafka`);
    cpu = await cpuMeter(database);
    applied = await runSessionProjection(engine, log, options, records.length);
    progress(
      `${engine.label}: session projection, ${
        describeCpuPer(await cpu(), records.length, "record")
      }`,
    );
    return {
      engine: `Kafka → ${engine.label}`,
      case: `session projection, ${options.partitions} partitions, batches of ${
        formatCount(TELEMETRY_BATCH)
      }`,
      events: applied.events,
      seconds: applied.seconds,
      baseline: { name: "bare kafkajs consumer (JSON.parse only), same topic", ...bare },
      latency: null,
      target: `≥ ${MIN_APPLY_RATIO}x the bare consumer`,
      met: rateOf(applied) >= MIN_APPLY_RATIO * rateOf(bare),
    };
  } finally {
    await log.close();
    const groups = [bareGroup, ...(applied ? [kafkaGroupId(topic, applied.group)] : [])];
    for (const problem of await deleteKafkaLeftovers(brokers, topic, groups)) {
      progress(`Kafka clean-up failed: ${problem}`);
    }
  }
}

/** The embedded log (a table) on PGlite: the same projection, no target. */
export async function benchEmbeddedApply(
  engine: Engine,
  options: Options,
  records: readonly TelemetryRecord[],
): Promise<ResultRow> {
  const log = await SqlTelemetryLog.open(engine.sql, {
    partitions: options.partitions,
    pruneIntervalMs: 0,
  });
  try {
    progress(`${engine.label}: appending ${formatCount(records.length)} heartbeats to the log`);
    await appendInChunks(log, records, 1);
    progress(`${engine.label}: bare consume of the embedded log`);
    const bare = await bareLogConsume(log, records.length, TELEMETRY_BATCH);
    progress(`${engine.label}: session projection from the embedded log`);
    const applied = await runSessionProjection(engine, log, options, records.length);
    return {
      engine: engine.label,
      case: `session projection from the embedded SqlTelemetryLog, ${options.partitions} ` +
        `partitions, batches of ${formatCount(TELEMETRY_BATCH)}`,
      events: applied.events,
      seconds: applied.seconds,
      baseline: { name: "bare consume() of the same log", ...bare },
      latency: null,
      target: "none (comparison)",
      met: null,
    };
  } finally {
    await log.close();
  }
}

/** `parallel` appenders take chunks in turn; the Kafka log batches what waits into one send. */
export async function appendInChunks(
  log: TelemetryLog,
  records: readonly TelemetryRecord[],
  parallel: number,
): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    for (let start = next; start < records.length; start = next) {
      next += APPEND_CHUNK;
      await log.append(records.slice(start, start + APPEND_CHUNK));
    }
  }));
}

/** Consumes the whole log without applying anything, from the first batch to the last. */
async function bareLogConsume(
  log: TelemetryLog,
  total: number,
  maxBatch: number,
): Promise<ConsumeWindow> {
  let first: number | undefined;
  let count = 0;
  const batches = log.consume({
    group: "bench-bare",
    startOffset: () => Promise.resolve(undefined),
    max_batch: maxBatch,
    signal: AbortSignal.timeout(CONSUME_TIMEOUT_MS),
  });
  for await (const batch of batches) {
    first ??= performance.now();
    count += batch.records.length;
    if (count >= total) return { events: count, seconds: (performance.now() - first) / 1000 };
  }
  throw new Error(`the bare consume read ${count} of ${total} records`);
}

interface Applied extends ConsumeWindow {
  /** The runner's consumer group. */
  group: string;
}

/**
 * Starts the session projection on a fresh generation and times it from its first apply to the
 * checkpoint that covers every record (polled every 5 ms); checks the read model counted them all.
 * The checkpoint counts in the log's offsets, which need not be consecutive (packed Kafka
 * messages, decision 0024): covered means the log's end offsets, summed as the runtime sums them.
 */
async function runSessionProjection(
  engine: Engine,
  log: TelemetryLog,
  options: Options,
  total: number,
): Promise<Applied> {
  let firstApply: number | undefined;
  const timed: TelemetryProjection = {
    ...sessionProjection,
    apply(tx, schema, records) {
      firstApply ??= performance.now();
      return sessionProjection.apply(tx, schema, records);
    },
  };
  const end = offsetsTotal(await log.endOffsets());
  const runtime = benchRuntime(engine, [timed], options.batchSize, log);
  await runtime.start();
  try {
    const name = sessionProjection.name;
    const [live] = await engine.sql.query<{ generation: number }>(
      "SELECT generation FROM projection_generations WHERE projection = $1 AND status = 'live'",
      [name],
    );
    const generation = live!.generation;
    const done = await waitForGeneration(
      engine.sql,
      runtime,
      name,
      generation,
      (row) => row.global_position >= end,
    );
    const [sum] = await engine.sql.query<{ records: number }>(
      `SELECT coalesce(sum(records), 0)::int AS records FROM ${name}.sessions`,
    );
    if (sum?.records !== total) throw new Error(`the sessions counted ${sum?.records} of ${total}`);
    return {
      events: total,
      seconds: (done - firstApply!) / 1000,
      group: consumerGroupOf(name, generation),
    };
  } finally {
    await runtime.stop();
  }
}
