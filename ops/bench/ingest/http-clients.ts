/**
 * POST /v1/events over HTTP with each Kafka client behind the ingest route (decision 0036): the
 * parse-only baseline (a log that keeps nothing), the kafkajs adapter, and the same publish path
 * through @platformatic/kafka (platformatic-log.ts), in turns, `--rounds` times in the same
 * minutes, loaded by wrk as ops/bench/ingest/main.ts loads it. Prints events/s, request p50/p99,
 * the server's CPU per event and the rate over the baseline of the same round.
 *
 *   deno run -P=test ops/bench/ingest/http-clients.ts [--batches 500] [--clients 16] [--rounds 2]
 *
 * Needs KAFKA_BROKERS (ops/services env) and wrk; each case gets a topic of its own, deleted after.
 */
import { KafkaTelemetryLog } from "../../../adapters/kafka/telemetry-log.ts";
import type { TelemetryLog } from "../../../domain/ports/telemetry-log.ts";
import { integerOption, readOptions } from "../lib/options.ts";
import { deleteKafkaLeftovers } from "../projections/kafka.ts";
import { DiscardingTelemetryLog } from "./discard-log.ts";
import { PlatformaticTelemetryLog } from "./platformatic-log.ts";
import { ingestThroughput } from "./throughput.ts";

const PARTITIONS = 6;

/** The ingest route only appends; the rest of the port has no use in this benchmark. */
function appendOnly(log: PlatformaticTelemetryLog): TelemetryLog {
  const unused = () => {
    throw new Error("the ingest benchmark only appends");
  };
  return {
    append: (records) => log.append(records),
    close: () => log.close(),
    consume: unused,
    partitionCount: unused,
    endOffsets: unused,
    ping: unused,
  };
}

const CASES: [string, (brokers: string[], topic: string) => TelemetryLog][] = [
  ["parse only (baseline)", () => new DiscardingTelemetryLog()],
  [
    "kafkajs",
    (brokers, topic) =>
      new KafkaTelemetryLog({ brokers, topic, partitions: PARTITIONS, compression: "zstd" }),
  ],
  [
    "platformatic",
    (brokers, topic) =>
      appendOnly(new PlatformaticTelemetryLog({ brokers, topic, partitions: PARTITIONS })),
  ],
];

if (import.meta.main) {
  const options = readOptions(Deno.args, {
    batches: integerOption("BENCH_BATCHES", 500),
    clients: integerOption("BENCH_CLIENTS", 16),
    rounds: integerOption("BENCH_ROUNDS", 2),
  });
  const brokers = Deno.env.get("KAFKA_BROKERS")?.split(",");
  if (!brokers) throw new Error("KAFKA_BROKERS is not set (see ops/services env)");
  const load = { batches: options.batches, batchSize: 100, clients: options.clients };
  console.log(
    "| round | log | events/s | p50 ms | p99 ms | server CPU µs/event | vs baseline | load |",
  );
  console.log("|--:|---|--:|--:|--:|--:|--:|--:|");
  for (let round = 1; round <= options.rounds; round++) {
    let baseline = 0;
    for (const [name, open] of CASES) {
      const topic = `bench-http-clients-${crypto.randomUUID().slice(0, 8)}`;
      const log = open(brokers, topic);
      try {
        const result = await ingestThroughput(log, load);
        const rate = result.events / result.seconds;
        baseline ||= rate;
        const cpu = (result.serverCpuSeconds ?? 0) * 1e6 / result.events;
        console.log(
          `| ${round} | ${name} | ${Math.round(rate)} | ${result.p50Ms.toFixed(1)} | ` +
            `${result.p99Ms.toFixed(1)} | ${cpu.toFixed(1)} | ${(rate / baseline).toFixed(2)}x | ` +
            `${Deno.loadavg()[0]!.toFixed(1)} |`,
        );
      } finally {
        await log.close();
        await deleteKafkaLeftovers(brokers, topic, []);
      }
    }
  }
  Deno.exit(0); // a kafkajs timer can outlive the closed clients (see main.ts)
}
