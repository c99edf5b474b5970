/**
 * Ingest benchmark (issue 5): events/s that POST /v1/events accepts in batches of 100 with the
 * Kafka telemetry log (answered after the broker's durable acknowledgement), beside the same
 * server with a log that keeps nothing (parse, validate, enrich and filter only), in the same run,
 * with the ratio, request latency and CPU per event (server, load generator); the Kafka case again
 * with several API processes sharing the port (SO_REUSEPORT; its ratio is to the single-process
 * baseline); request latency of both logs under moderate load (posts paced); then position PUT →
 * visible GET latency, embedded and in the production profile (Kafka and the PostgreSQL read
 * model; plus the Redis positions cache).
 *
 *   deno run -P=test ops/bench/ingest/main.ts [--batches 500] [--batch-size 100] [--clients 64]
 *     [--partitions 6] [--compression zstd|gzip|none] [--paced-rate 300] [--processes 2]
 *     [--visible-samples 200] [--visible-spacing-ms 10] [--markdown out.md]
 *
 * Flags may come from the environment (BENCH_BATCHES, ...). KAFKA_BROKERS, POSTGRES_URL and
 * REDIS_URL name the engines (a topic and a scratch database of the run's own, removed at the end);
 * without one, its part is skipped. See docs/benchmarks.md.
 */
import { KafkaTelemetryLog } from "../../../adapters/kafka/telemetry-log.ts";
import { closeRedis, connectRedis } from "../../../adapters/redis/client.ts";
import { RedisPositionsCache } from "../../../adapters/redis/positions-cache.ts";
import { deleteKeys } from "../../../adapters/redis/testing.ts";
import { commandLine, describeMachine } from "../lib/machine.ts";
import { progress } from "../lib/progress.ts";
import { formatCount, formatReport, markdownTable, type Report } from "../lib/report.ts";
import { median, percentile } from "../lib/statistics.ts";
import type { LoadOptions } from "./load.ts";
import { openScratchServerEngine } from "../projections/engines.ts";
import { deleteKafkaLeftovers } from "../projections/kafka.ts";
import type { TelemetryLog } from "../../../domain/ports/telemetry-log.ts";
import { DiscardingTelemetryLog } from "./discard-log.ts";
import { OPTION_ENV_NAMES, type Options, readIngestOptions } from "./options.ts";
import { type Backend, openBackend, openEmbeddedBackend } from "./services.ts";
import { ingestThroughputAcross } from "./processes.ts";
import { ingestThroughput, type ThroughputResult } from "./throughput.ts";
import { putToVisibleLatencies } from "./visibility.ts";

const SCRIPT = "ops/bench/ingest/main.ts";
const ms = (value: number) => value.toFixed(1);

async function throughputRows(options: Options, skipped: string[]): Promise<string[][]> {
  progress("ingest: parse and validate only (baseline)");
  const baseline = await ingestThroughput(new DiscardingTelemetryLog(), options);
  const rows = [throughputCells("none: 202 without publishing (baseline)", baseline, 1)];
  if (!options.kafkaBrokers) {
    skipped.push("ingest with Kafka: KAFKA_BROKERS is not set (see ops/services env)");
    return rows;
  }
  progress("ingest: Kafka");
  const topic = `bench-ingest-${crypto.randomUUID().slice(0, 8)}`;
  const log = new KafkaTelemetryLog({
    brokers: options.kafkaBrokers,
    topic,
    partitions: options.partitions,
    compression: options.compression,
  });
  const kafkaCase = `Kafka (${options.partitions} partitions, acks=all, ${options.compression})`;
  const ratioOf = (result: ThroughputResult) =>
    (result.events / result.seconds) / (baseline.events / baseline.seconds);
  try {
    const kafka = await ingestThroughput(log, options);
    rows.push(throughputCells(kafkaCase, kafka, ratioOf(kafka)));
    rows.push(
      ...await pacedRows(options, [["none (baseline)", new DiscardingTelemetryLog()], [
        kafkaCase,
        log,
      ]]),
    );
  } finally {
    await log.close();
    (await deleteKafkaLeftovers(options.kafkaBrokers, topic, [])).forEach(progress);
  }
  if (options.processes > 1) {
    progress(`ingest: Kafka, ${options.processes} API processes`);
    const shared = `${topic}-processes`;
    try {
      const kafka = await ingestThroughputAcross(options.processes, { ...options, topic: shared });
      const label = `${kafkaCase}, ${options.processes} API processes on one port (SO_REUSEPORT)`;
      rows.push(throughputCells(label, kafka, ratioOf(kafka)));
    } finally {
      (await deleteKafkaLeftovers(options.kafkaBrokers, shared, [])).forEach(progress);
    }
  }
  return rows;
}

/**
 * Each log again with posts of `--paced-batch-size` events paced at `--paced-rate` for 10 s:
 * request latency under moderate load (players post a few heartbeats at a time).
 */
async function pacedRows(options: Options, logs: [string, TelemetryLog][]): Promise<string[][]> {
  const paced: LoadOptions = {
    clients: options.clients,
    batches: options.pacedRate * 10,
    batchSize: options.pacedBatchSize,
    rate: options.pacedRate,
  };
  const label = `paced at ${options.pacedRate} posts/s of ${options.pacedBatchSize} events`;
  const rows: string[][] = [];
  for (const [log, telemetry] of logs) {
    progress(`ingest: ${log}, ${label}`);
    const result = await ingestThroughput(telemetry, paced);
    rows.push(throughputCells(`${log}, ${label}`, result));
  }
  return rows;
}

function throughputCells(log: string, result: ThroughputResult, ratio?: number): string[] {
  const perEvent = (seconds: number) => (seconds * 1e6 / result.events).toFixed(1);
  return [
    log,
    formatCount(result.events),
    result.seconds.toFixed(2),
    formatCount(result.events / result.seconds),
    ms(result.p50Ms),
    ms(result.p99Ms),
    result.serverCpuSeconds === undefined ? "—" : perEvent(result.serverCpuSeconds),
    perEvent(result.generatorCpuSeconds),
    ratio === undefined ? "—" : `${ratio.toFixed(2)}x`,
  ];
}

async function visibilityRows(options: Options, skipped: string[]): Promise<string[][]> {
  const rows: string[][] = [];
  const measure = async (label: string, backend: Backend, cache?: RedisPositionsCache) => {
    progress(`PUT → GET: ${label}`);
    const latencies = await putToVisibleLatencies(backend.app(cache), {
      samples: options.visibleSamples,
      spacingMs: options.visibleSpacingMs,
    });
    rows.push([
      label,
      String(latencies.length),
      ms(median(latencies)),
      ms(percentile(latencies, 99)),
    ]);
  };
  const embedded = await openEmbeddedBackend();
  try {
    await measure("embedded: table log, PGlite read model", embedded);
  } finally {
    await embedded.close();
  }
  if (!options.postgresUrl || !options.kafkaBrokers) {
    skipped.push("production PUT → GET: POSTGRES_URL and KAFKA_BROKERS are needed");
    return rows;
  }
  const engine = await openScratchServerEngine(options.postgresUrl, 8);
  const topic = `bench-ingest-visible-${crypto.randomUUID().slice(0, 8)}`;
  const log = new KafkaTelemetryLog({
    brokers: options.kafkaBrokers,
    topic,
    partitions: options.partitions,
  });
  const backend = await openBackend(engine.sql, engine.store, log);
  try {
    await measure("Kafka, PostgreSQL read model (projection)", backend);
    if (!options.redisUrl) {
      skipped.push("Redis positions cache: REDIS_URL is not set");
      return rows;
    }
    const redis = await connectRedis(options.redisUrl, { name: "bench" });
    const prefix = `bench:${crypto.randomUUID()}:positions:`;
    try {
      await measure(
        "Kafka, Redis positions cache",
        backend,
        new RedisPositionsCache(redis, { prefix }),
      );
    } finally {
      await deleteKeys(redis, prefix);
      await closeRedis(redis);
    }
  } finally {
    await backend.close();
    await log.close();
    await engine.dispose();
    (await deleteKafkaLeftovers(options.kafkaBrokers, topic, [])).forEach(progress);
  }
  return rows;
}

/** Runs the benchmark with `args` (flags as on the command line), prints and returns its report. */
export async function runBenchmark(args: string[] = Deno.args): Promise<Report> {
  const options = readIngestOptions(args);
  const loadAtStart = Deno.loadavg().map((load) => load.toFixed(2)).join(", ");
  const skipped: string[] = [];
  const throughput = await throughputRows(options, skipped);
  const visibility = await visibilityRows(options, skipped);
  const command = commandLine({
    args,
    script: SCRIPT,
    urlEnv: ["POSTGRES_URL", "REDIS_URL"],
    env: [...OPTION_ENV_NAMES, "KAFKA_BROKERS"],
  });
  const machine = [
    ...describeMachine(command),
    `Load average (1, 5, 15 min) at the start: ${loadAtStart}`,
    `Ingest: ${formatCount(options.batches)} batches of ${options.batchSize} heartbeats ` +
    `(after ${formatCount(Math.ceil(options.batches / 10))} to warm up), ${options.clients} ` +
    "connections of wrk (one thread, a process of its own; 127.0.0.1); paced cases: " +
    `${options.pacedRate} posts/s of ${options.pacedBatchSize} events for 10 s`,
    `PUT → GET: ${options.visibleSamples} samples ${options.visibleSpacingMs} ms apart, ` +
    "in-process requests, GET polled every 1 ms",
  ];
  const table = [
    ...markdownTable([
      { title: "telemetry log", align: "left" },
      { title: "events accepted", align: "right" },
      { title: "s", align: "right" },
      { title: "events/s", align: "right" },
      { title: "request p50 ms", align: "right" },
      { title: "request p99 ms", align: "right" },
      { title: "server CPU µs/event", align: "right" },
      { title: "wrk CPU µs/event", align: "right" },
      { title: "rate vs baseline", align: "right" },
    ], throughput),
    "",
    ...markdownTable([
      { title: "position PUT → visible GET", align: "left" },
      { title: "samples", align: "right" },
      { title: "p50 ms", align: "right" },
      { title: "p99 ms", align: "right" },
    ], visibility),
  ];
  const result: Report = { machine, table, skipped };
  const report = formatReport(result);
  console.log(report);
  if (options.markdown) await Deno.writeTextFile(options.markdown, report);
  return result;
}

if (import.meta.main) {
  await runBenchmark();
  // Everything is closed by now, but a client library can leave a timer behind that keeps the
  // process alive for minutes (seen after runs with Kafka): the report is out, so end here.
  Deno.exit(0);
}
