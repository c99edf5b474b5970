/** The event store benchmark's options: flags, their environment variables and defaults. */
import { integerOption, optionEnvNames, readOptions, textOption } from "../lib/options.ts";

export type EngineName = "pglite" | "postgres";

const SPECS = {
  "events": integerOption("BENCH_EVENTS", 20_000),
  "single-events": integerOption("BENCH_SINGLE_EVENTS", 2_000),
  "concurrency": integerOption("BENCH_CONCURRENCY", 8),
  "latency-samples": integerOption("BENCH_LATENCY_SAMPLES", 200),
  "latency-spacing-ms": integerOption("BENCH_LATENCY_SPACING_MS", 5),
  "replay-repeats": integerOption("BENCH_REPLAY_REPEATS", 5),
  "only": textOption<EngineName>("BENCH_ONLY", ["pglite", "postgres"]),
  "markdown": textOption("BENCH_MARKDOWN"),
};

/** The variables that set options, for the report's command line. */
export const OPTION_ENV_NAMES = optionEnvNames(SPECS);

export interface Options {
  /** Events appended in batches of 100 (per variant); the replay reads at least this many. */
  events: number;
  /** Events appended one per append (per variant). */
  singleEvents: number;
  /** Concurrent appenders on the server (PGlite has one connection, so it always uses 1). */
  concurrency: number;
  latencySamples: number;
  latencySpacingMs: number;
  replayRepeats: number;
  only?: EngineName;
  markdown?: string;
  postgresUrl?: string;
}

export function readEventStoreOptions(args: string[]): Options {
  const values = readOptions(args, SPECS);
  return {
    events: values["events"],
    singleEvents: values["single-events"],
    concurrency: values["concurrency"],
    latencySamples: values["latency-samples"],
    latencySpacingMs: values["latency-spacing-ms"],
    replayRepeats: values["replay-repeats"],
    only: values["only"],
    markdown: values["markdown"],
    postgresUrl: Deno.env.get("POSTGRES_URL") || undefined,
  };
}
