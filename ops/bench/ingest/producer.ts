/**
 * The Kafka telemetry log's publish path alone, by client and compression (decisions 0031, 0036):
 * batches of 100 enriched heartbeats appended by concurrent callers, as the ingest route appends
 * them, with no HTTP or validation. Prints events/s, this process's CPU per event (packing, the
 * client, compression) and append latency; the cases alternate, `--rounds` times, in the same
 * minutes. Each case then checks that the topic holds exactly the messages sent (no loss, no
 * duplicate) and, for @platformatic/kafka, that the producer id never changed (a new one means the
 * client recovered from a sequence the broker refused).
 *
 *   deno run -P=test ops/bench/ingest/producer.ts [--batches 2000] [--callers 16] [--rounds 2]
 *     [--client kafkajs|platformatic|platformatic-pipelined] [--compression zstd|gzip|none]
 *     [--lanes 4] [--inflight 5] [--partitions 6]
 *
 * Clients: kafkajs (the adapter, adapters/kafka/telemetry-log.ts), platformatic (the same path
 * through @platformatic/kafka, platformatic-log.ts), platformatic-pipelined (`--lanes` sends at
 * once, `--inflight` requests in flight per connection). Without `--client` or `--compression`
 * every one is measured.
 *
 * Needs KAFKA_BROKERS (ops/services env); each case gets a topic of its own, deleted at the end.
 */
import { cpuUsage } from "node:process";
import { Kafka, logLevel } from "kafkajs";
import { pack } from "../../../adapters/kafka/packing.ts";
import { KafkaTelemetryLog } from "../../../adapters/kafka/telemetry-log.ts";
import type { TelemetryCompression } from "../../../adapters/kafka/producer.ts";
import type { TelemetryRecord } from "../../../domain/ports/telemetry-log.ts";
import { integerOption, readOptions, textOption } from "../lib/options.ts";
import { median, percentile } from "../lib/statistics.ts";
import { deleteKafkaLeftovers } from "../projections/kafka.ts";
import { PlatformaticTelemetryLog } from "./platformatic-log.ts";

const COMPRESSIONS = ["zstd", "gzip", "none"] as const satisfies TelemetryCompression[];
const CLIENTS = ["kafkajs", "platformatic", "platformatic-pipelined"] as const;
type Client = typeof CLIENTS[number];

interface Appender {
  append(records: readonly TelemetryRecord[]): Promise<void>;
  close(): Promise<void>;
  readonly producerId?: bigint;
}

interface CaseOptions {
  batches: number;
  callers: number;
  lanes: number;
  inflight: number;
  /** Partitions of each case's topic (the adapter's default is 6). */
  partitions: number;
}

/** A player's batch as the ingest route stores it: one session, enriched heartbeats. */
export function enrichedBatch(size: number): TelemetryRecord[] {
  const session = crypto.randomUUID();
  const now = new Date().toISOString();
  return Array.from({ length: size }, (_, seq) => ({
    key: session,
    value: {
      event_id: crypto.randomUUID(),
      type: "heartbeat",
      session_id: session,
      seq,
      content_id: "movie-1",
      timestamp: now,
      position_sec: seq * 10,
      received_at: now,
      corrected_timestamp: now,
      clock_skew_ms: 12,
      device: "desktop",
      browser: "Firefox",
      os: "Linux",
    },
  }));
}

async function appendAll(log: Appender, batches: TelemetryRecord[][], callers: number) {
  let next = 0;
  const latencies: number[] = [];
  await Promise.all(Array.from({ length: callers }, async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const started = performance.now();
      await log.append(batch);
      latencies.push(performance.now() - started);
    }
  }));
  return latencies;
}

function openLog(
  client: Client,
  config: { brokers: string[]; topic: string; compression: TelemetryCompression },
  options: CaseOptions,
): Appender {
  const { partitions } = options;
  if (client === "kafkajs") return new KafkaTelemetryLog({ ...config, partitions });
  const pipelined = client === "platformatic-pipelined";
  return new PlatformaticTelemetryLog({
    ...config,
    partitions,
    lanes: pipelined ? options.lanes : 1,
    inflight: pipelined ? options.inflight : 1,
  });
}

/** Messages the topic holds, from its partitions' high watermarks. */
async function storedMessages(brokers: string[], topic: string): Promise<number> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, { high }) => sum + Number(high), 0);
  } finally {
    await admin.disconnect();
  }
}

async function measure(
  brokers: string[],
  client: Client,
  compression: TelemetryCompression,
  options: CaseOptions,
): Promise<string> {
  const topic = `bench-producer-${crypto.randomUUID().slice(0, 8)}`;
  const log = openLog(client, { brokers, topic, compression }, options);
  const batches = Array.from({ length: options.batches }, () => enrichedBatch(100));
  const sent = batches.reduce((sum, batch) => sum + pack(batch).length, 0);
  try {
    // The first append starts the producer: its id must serve every later append.
    await log.append(batches.shift()!);
    const producerId = log.producerId;
    await appendAll(log, batches.splice(0, Math.ceil(options.batches / 10)), options.callers);
    const before = cpuUsage();
    const started = performance.now();
    const latencies = await appendAll(log, batches, options.callers);
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = cpuUsage(before);
    const events = batches.length * 100;
    const stored = await storedMessages(brokers, topic);
    const checks = [
      stored === sent ? "" : `${stored} of ${sent} messages stored`,
      log.producerId === producerId ? "" : "producer id changed",
    ].filter(Boolean).join(", ") || "ok";
    return `| ${client} | ${compression} | ${Math.round(events / seconds)} | ` +
      `${((user + system) / events).toFixed(2)} | ${median(latencies).toFixed(1)} | ` +
      `${percentile(latencies, 99).toFixed(1)} | ${Deno.loadavg()[0]!.toFixed(1)} | ${checks} |`;
  } finally {
    await log.close();
    await deleteKafkaLeftovers(brokers, topic, []);
  }
}

if (import.meta.main) {
  const options = readOptions(Deno.args, {
    batches: integerOption("BENCH_BATCHES", 2000),
    callers: integerOption("BENCH_CALLERS", 16),
    rounds: integerOption("BENCH_ROUNDS", 2),
    client: textOption("BENCH_CLIENT", CLIENTS),
    compression: textOption("BENCH_COMPRESSION", COMPRESSIONS),
    lanes: integerOption("BENCH_LANES", 4),
    inflight: integerOption("BENCH_INFLIGHT", 5),
    partitions: integerOption("BENCH_PARTITIONS", 6),
  });
  const brokers = Deno.env.get("KAFKA_BROKERS")?.split(",");
  if (!brokers) throw new Error("KAFKA_BROKERS is not set (see ops/services env)");
  const clients = options.client ? [options.client] : CLIENTS;
  const compressions = options.compression ? [options.compression] : COMPRESSIONS;
  console.log(
    "| client | compression | events/s | CPU µs/event | append p50 ms | append p99 ms | load | " +
      "checks |",
  );
  console.log("|---|---|--:|--:|--:|--:|--:|---|");
  for (let round = 0; round < options.rounds; round++) {
    for (const client of clients) {
      for (const compression of compressions) {
        console.log(await measure(brokers, client, compression, options));
      }
    }
  }
  Deno.exit(0); // a kafkajs timer can outlive the closed clients (see main.ts)
}
