/** The projection benchmark's options: flags, their environment variables and defaults. */
import {
  integerOption,
  optionEnvNames,
  type OptionValues,
  readOptions,
  textOption,
} from "../lib/options.ts";

import type { EngineName } from "../event-store/options.ts";

export const PARTS = ["replay", "telemetry", "visibility"] as const;
export type Part = typeof PARTS[number];

const SPECS = {
  "only": textOption<EngineName>("BENCH_ONLY", ["pglite", "postgres"]),
  "markdown": textOption("BENCH_MARKDOWN"),
  /** One part of the report alone (default: all three). */
  "part": textOption<Part>("BENCH_PART", PARTS),
  /** Catalog events appended before the replay. */
  "catalog-events": integerOption("BENCH_CATALOG_EVENTS", 20_000),
  /** The projection runtime's batch size (its live path; catch-ups read pages of their own). */
  "batch-size": integerOption("BENCH_BATCH_SIZE", 1_000),
  /** Timed rebuilds of the catalog projection (the median is reported). */
  "rebuilds": integerOption("BENCH_REBUILDS", 3),
  /** Telemetry records the session projection consumes, spread over `sessions` keys. */
  "telemetry-records": integerOption("BENCH_TELEMETRY_RECORDS", 100_000),
  "sessions": integerOption("BENCH_SESSIONS", 2_000),
  /** Partitions of the Kafka topic and of the embedded telemetry log. */
  "partitions": integerOption("BENCH_PARTITIONS", 6),
  /** The append-to-visible case: its rate (events/s), duration and appenders. */
  "visible-rate": integerOption("BENCH_VISIBLE_RATE", 5_000),
  "visible-seconds": integerOption("BENCH_VISIBLE_SECONDS", 10),
  /**
   * Clients waiting for their own append at once. 5,000 appends/s at ~15 ms each keep about 75
   * requests in flight (Little's law), so 64 is a realistic count; 16 capped the rate at 16 per
   * commit round trip (docs/benchmarks.md, "Projections").
   */
  "appenders": integerOption("BENCH_APPENDERS", 64),
  /** VideoCreated events per append: 1 as CreateVideo writes them, more in import streams. */
  "events-per-append": integerOption("BENCH_EVENTS_PER_APPEND", 1),
  /** Pause between the checkpoint polls of the append-to-visible case. */
  "poll-ms": integerOption("BENCH_POLL_MS", 5),
  /**
   * Beside the append-to-visible case, read-model transactions of this many milliseconds held back
   * to back on the read models' pool, as a Kafka batch or a rebuild's write holds one (0: none).
   */
  "read-model-transaction-ms": integerOption("BENCH_READ_MODEL_TRANSACTION_MS", 0, 0),
};

/** The variables that set options, for the report's command line. */
export const OPTION_ENV_NAMES = optionEnvNames(SPECS);

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

/** The flags' values under camelCase names, and the engines' addresses from the environment. */
export type Options =
  & { [Flag in keyof typeof SPECS as Camel<Flag>]: OptionValues<typeof SPECS>[Flag] }
  & { postgresUrl?: string; kafkaBrokers?: string[] };

export function readProjectionOptions(args: string[]): Options {
  const values = Object.entries(readOptions(args, SPECS)).map(([flag, value]) => [
    flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()),
    value,
  ]);
  const brokers = Deno.env.get("KAFKA_BROKERS");
  return {
    ...Object.fromEntries(values) as Omit<Options, "postgresUrl" | "kafkaBrokers">,
    postgresUrl: Deno.env.get("POSTGRES_URL") || undefined,
    kafkaBrokers: brokers ? brokers.split(",").map((broker) => broker.trim()) : undefined,
  };
}

/** Whether the run includes `part` (every part does when `--part` is not given). */
export function runsPart(options: Options, part: Part): boolean {
  return options.part === undefined || options.part === part;
}
