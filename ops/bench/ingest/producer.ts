/**
 * The Kafka telemetry log's publish path alone, by compression (decision 0031): batches of 100
 * enriched heartbeats appended by concurrent callers, as the ingest route appends them, with no
 * HTTP or validation. Prints events/s, this process's CPU per event (packing, kafkajs, compression)
 * and append latency; the compressions alternate, `--rounds` times, in the same minutes.
 *
 *   deno run -P=test ops/bench/ingest/producer.ts [--batches 2000] [--callers 16] [--rounds 2]
 *
 * Needs KAFKA_BROKERS (ops/services env); each case gets a topic of its own, deleted at the end.
 */
import { cpuUsage } from "node:process";
import { KafkaTelemetryLog } from "../../../adapters/kafka/telemetry-log.ts";
import type { TelemetryCompression } from "../../../adapters/kafka/producer.ts";
import type { TelemetryRecord } from "../../../domain/ports/telemetry-log.ts";
import { integerOption, readOptions } from "../lib/options.ts";
import { median, percentile } from "../lib/statistics.ts";
import { deleteKafkaLeftovers } from "../projections/kafka.ts";

const COMPRESSIONS: TelemetryCompression[] = ["zstd", "gzip", "none"];

/** A player's batch as the ingest route stores it: one session, enriched heartbeats. */
function enrichedBatch(size: number): TelemetryRecord[] {
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

async function appendAll(log: KafkaTelemetryLog, batches: TelemetryRecord[][], callers: number) {
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

async function measure(
  brokers: string[],
  compression: TelemetryCompression,
  options: { batches: number; callers: number },
): Promise<string> {
  const topic = `bench-producer-${crypto.randomUUID().slice(0, 8)}`;
  const log = new KafkaTelemetryLog({ brokers, topic, partitions: 6, compression });
  const batches = Array.from({ length: options.batches }, () => enrichedBatch(100));
  try {
    await appendAll(log, batches.splice(0, Math.ceil(options.batches / 10)), options.callers);
    const before = cpuUsage();
    const started = performance.now();
    const latencies = await appendAll(log, batches, options.callers);
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = cpuUsage(before);
    const events = batches.length * 100;
    return `| ${compression} | ${Math.round(events / seconds)} | ` +
      `${((user + system) / events).toFixed(2)} | ${median(latencies).toFixed(1)} | ` +
      `${percentile(latencies, 99).toFixed(1)} | ${Deno.loadavg()[0]!.toFixed(1)} |`;
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
  });
  const brokers = Deno.env.get("KAFKA_BROKERS")?.split(",");
  if (!brokers) throw new Error("KAFKA_BROKERS is not set (see ops/services env)");
  console.log("| compression | events/s | CPU µs/event | append p50 ms | append p99 ms | load |");
  console.log("|---|--:|--:|--:|--:|--:|");
  for (let round = 0; round < options.rounds; round++) {
    for (const compression of COMPRESSIONS) {
      console.log(await measure(brokers, compression, options));
    }
  }
  Deno.exit(0); // a kafkajs timer can outlive the closed clients (see main.ts)
}
