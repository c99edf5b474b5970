/**
 * The telemetry topic's read path alone, kafkajs against @platformatic/kafka (decision 0036): the
 * topic is filled once through the Kafka telemetry log (packed messages, zstd), then each client in
 * turn reads it whole with a consumer of a new group and decodes every record, `--rounds` times in
 * the same minutes. Prints events/s (from the first fetched message) and this process's CPU per
 * event (group join, fetches, decompression, decoding).
 *
 *   deno run -P=test ops/bench/ingest/consumer.ts [--batches 2000] [--rounds 2]
 *
 * Needs KAFKA_BROKERS (ops/services env); the topic and the groups are deleted at the end.
 */
import { cpuUsage } from "node:process";
import { KafkaTelemetryLog } from "../../../adapters/kafka/telemetry-log.ts";
import { integerOption, readOptions } from "../lib/options.ts";
import {
  bareKafkaConsume,
  type ConsumeWindow,
  deleteKafkaLeftovers,
} from "../projections/kafka.ts";
import { platformaticConsume } from "./platformatic-consume.ts";
import { enrichedBatch } from "./producer.ts";

type Read = (
  brokers: string[],
  topic: string,
  group: string,
  total: number,
) => Promise<ConsumeWindow>;

const CLIENTS: [string, Read][] = [["kafkajs", bareKafkaConsume], [
  "platformatic",
  platformaticConsume,
]];

async function fill(brokers: string[], topic: string, batches: number): Promise<number> {
  const log = new KafkaTelemetryLog({ brokers, topic, partitions: 6 });
  try {
    for (let sent = 0; sent < batches; sent += 16) {
      const appends = Math.min(16, batches - sent);
      await Promise.all(Array.from({ length: appends }, () => log.append(enrichedBatch(100))));
    }
  } finally {
    await log.close();
  }
  return batches * 100;
}

if (import.meta.main) {
  const options = readOptions(Deno.args, {
    batches: integerOption("BENCH_BATCHES", 2000),
    rounds: integerOption("BENCH_ROUNDS", 2),
  });
  const brokers = Deno.env.get("KAFKA_BROKERS")?.split(",");
  if (!brokers) throw new Error("KAFKA_BROKERS is not set (see ops/services env)");
  const topic = `bench-consumer-${crypto.randomUUID().slice(0, 8)}`;
  const groups: string[] = [];
  try {
    const total = await fill(brokers, topic, options.batches);
    console.log("| client | events/s | CPU µs/event | load |");
    console.log("|---|--:|--:|--:|");
    for (let round = 0; round < options.rounds; round++) {
      for (const [client, read] of CLIENTS) {
        const group = `${topic}-${client}-${round}`;
        groups.push(group);
        const before = cpuUsage();
        const { events, seconds } = await read(brokers, topic, group, total);
        const { user, system } = cpuUsage(before);
        console.log(
          `| ${client} | ${Math.round(events / seconds)} | ${
            ((user + system) / events).toFixed(2)
          } | ` +
            `${Deno.loadavg()[0]!.toFixed(1)} |`,
        );
      }
    }
  } finally {
    for (const problem of await deleteKafkaLeftovers(brokers, topic, groups)) console.warn(problem);
  }
  Deno.exit(0); // a kafkajs timer can outlive the closed clients (see main.ts)
}
