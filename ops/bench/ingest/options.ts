/** The ingest benchmark's options: flags, their environment variables and defaults. */
import type { TelemetryCompression } from "../../../adapters/kafka/producer.ts";
import { integerOption, optionEnvNames, readOptions, textOption } from "../lib/options.ts";

const SPECS = {
  "markdown": textOption("BENCH_MARKDOWN"),
  /** Batches of `batch-size` events sent per log (after a tenth as many to warm up). */
  "batches": integerOption("BENCH_BATCHES", 500),
  "batch-size": integerOption("BENCH_BATCH_SIZE", 100),
  /**
   * Connections sending at once. Each waits for its answer before the next post, so with 16 the
   * rate was capped near 16 × 100 events per answer time (about 94,000 events/s at 17 ms) whatever
   * the server had to spare; seed 001's players number in the thousands (docs/benchmarks.md,
   * "Issue 5 with more connections").
   */
  "clients": integerOption("BENCH_CLIENTS", 64),
  "partitions": integerOption("BENCH_PARTITIONS", 6),
  /** The Kafka producer's compression (the service's KAFKA_COMPRESSION; default zstd). */
  "compression": textOption("BENCH_COMPRESSION", ["zstd", "gzip", "none"] as const),
  /** Posts/s and events per post of the moderate-load latency cases (10 s of posts each). */
  "paced-rate": integerOption("BENCH_PACED_RATE", 300),
  "paced-batch-size": integerOption("BENCH_PACED_BATCH_SIZE", 5),
  /** API processes sharing the port in the several-process Kafka case (1: no such case). */
  "processes": integerOption("BENCH_PROCESSES", 2),
  /** PUT → GET samples per read path, and the pause between them. */
  "visible-samples": integerOption("BENCH_VISIBLE_SAMPLES", 200),
  "visible-spacing-ms": integerOption("BENCH_VISIBLE_SPACING_MS", 10),
};

export const OPTION_ENV_NAMES = optionEnvNames(SPECS);

export interface Options {
  markdown?: string;
  batches: number;
  batchSize: number;
  clients: number;
  partitions: number;
  compression: TelemetryCompression;
  pacedRate: number;
  pacedBatchSize: number;
  processes: number;
  visibleSamples: number;
  visibleSpacingMs: number;
  kafkaBrokers?: string[];
  postgresUrl?: string;
  redisUrl?: string;
}

export function readIngestOptions(args: string[]): Options {
  const values = readOptions(args, SPECS);
  const brokers = Deno.env.get("KAFKA_BROKERS");
  return {
    markdown: values.markdown,
    batches: values.batches,
    batchSize: values["batch-size"],
    clients: values.clients,
    partitions: values.partitions,
    compression: values.compression ?? "zstd",
    pacedRate: values["paced-rate"],
    pacedBatchSize: values["paced-batch-size"],
    processes: values.processes,
    visibleSamples: values["visible-samples"],
    visibleSpacingMs: values["visible-spacing-ms"],
    kafkaBrokers: brokers ? brokers.split(",").map((broker) => broker.trim()) : undefined,
    postgresUrl: Deno.env.get("POSTGRES_URL") || undefined,
    redisUrl: Deno.env.get("REDIS_URL") || undefined,
  };
}
