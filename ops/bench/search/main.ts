/**
 * Search benchmark: query latency (p50, p99, one query at a time) and throughput (req/s with
 * several clients) of the embedded search (PGlite) and Meilisearch, at each catalog size, in one
 * run. Each engine is loaded through its projection's apply with the same generated catalog
 * (adapters/search/fixture.ts) and queried through the search port. See docs/benchmarks.md.
 *
 *   deno task bench:search [--sizes 10000,100000] [--embedded-max 100000] [--queries 500]
 *     [--concurrency 8] [--seconds 5] [--only embedded|meilisearch] [--baseline on|off]
 *     [--markdown results.md]
 *
 * MEILISEARCH_URL and MEILISEARCH_API_KEY name the server (see ops/services env); without them the
 * Meilisearch part is skipped. Its indexes are this run's own and deleted at the end. Meilisearch
 * rows also give its own time (processingTimeMs), and with the baseline on, a second row reads the
 * same index with compressed responses, as before decision 0016.
 */
import { fixtureCatalog, fixtureSize } from "../../../adapters/search/fixture.ts";
import { recordedFrom } from "../../../adapters/search/testing.ts";
import { commandLine, describeMachine } from "../lib/machine.ts";
import { integerOption, optionEnvNames, readOptions, textOption } from "../lib/options.ts";
import { progress } from "../lib/progress.ts";
import { formatCount, formatReport, markdownTable, type Report } from "../lib/report.ts";
import { secondsSince } from "../lib/timing.ts";
import { type EngineName, openEmbedded, openMeilisearch, type SearchEngine } from "./engines.ts";
import { measure } from "./workload.ts";

const SCRIPT = "ops/bench/search/main.ts";
const SPECS = {
  "sizes": textOption("BENCH_SIZES"),
  "embedded-max": integerOption("BENCH_EMBEDDED_MAX", 100_000),
  "queries": integerOption("BENCH_QUERIES", 500),
  "concurrency": integerOption("BENCH_CONCURRENCY", 8),
  "seconds": integerOption("BENCH_SECONDS", 5),
  "batch": integerOption("BENCH_BATCH", 2_000),
  "only": textOption<EngineName>("BENCH_ONLY", ["embedded", "meilisearch"]),
  "baseline": textOption("BENCH_BASELINE", ["on", "off"]),
  "markdown": textOption("BENCH_MARKDOWN"),
};

const COLUMNS = [
  { title: "engine", align: "left" },
  { title: "items", align: "right" },
  { title: "load s", align: "right" },
  { title: "p50 ms", align: "right" },
  { title: "p99 ms", align: "right" },
  { title: "server p50 ms", align: "right" },
  { title: "server p99 ms", align: "right" },
  { title: "req/s", align: "right" },
  { title: "target", align: "left" },
  { title: "met", align: "left" },
] as const;

async function benchSize(open: () => Promise<SearchEngine>, items: number, options: Options) {
  const engine = await open();
  try {
    progress(`${engine.name}: loading ${formatCount(items)} items`);
    const events = recordedFrom(fixtureCatalog(Math.max(0, items - fixtureSize(0))));
    const loadSeconds = await engine.load(events, options.batch);
    progress(`${engine.name}: ${formatCount(items)} items loaded in ${loadSeconds.toFixed(1)} s`);
    const rows: string[][] = [];
    for (const reader of engine.readers) {
      progress(`${reader.label}: querying ${formatCount(items)} items`);
      const result = await measure(reader, options.queries, options.concurrency, options.seconds);
      const targeted = reader === engine.readers[0] && engine.name === "meilisearch" &&
        items >= 100_000;
      rows.push([
        reader.label,
        formatCount(items),
        loadSeconds.toFixed(1),
        result.p50.toFixed(2),
        result.p99.toFixed(2),
        result.server?.p50.toFixed(0) ?? "",
        result.server?.p99.toFixed(0) ?? "",
        formatCount(result.requestsPerSecond),
        targeted ? "p99 < 20 ms" : "",
        targeted ? (result.p99 < 20 ? "yes" : "no") : "",
      ]);
    }
    return rows;
  } finally {
    await engine.dispose();
  }
}

type Options = ReturnType<typeof readOptions<typeof SPECS>>;

/** Runs the benchmark with `args` (flags as on the command line), prints and returns its report. */
export async function runBenchmark(args: string[] = Deno.args): Promise<Report> {
  const options = readOptions(args, SPECS);
  const sizes = (options.sizes ?? "10000,100000").split(",").map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--sizes: whole numbers");
  const started = performance.now();
  const skipped: string[] = [];
  const rows: string[][] = [];
  const url = Deno.env.get("MEILISEARCH_URL");
  const key = Deno.env.get("MEILISEARCH_API_KEY") ?? "";
  for (const items of sizes) {
    if (options.only !== "meilisearch") {
      if (items > options["embedded-max"]) {
        skipped.push(
          `embedded at ${formatCount(items)} items (--embedded-max ${options["embedded-max"]})`,
        );
      } else rows.push(...await benchSize(openEmbedded, items, options));
    }
    if (options.only !== "embedded") {
      const baseline = options.baseline !== "off";
      if (url) {
        rows.push(...await benchSize(() => openMeilisearch(url, key, baseline), items, options));
      } else if (items === sizes[0]) skipped.push("Meilisearch: MEILISEARCH_URL is not set");
    }
  }
  const command = commandLine({
    args,
    script: SCRIPT,
    urlEnv: ["MEILISEARCH_URL"],
    env: optionEnvNames(SPECS),
  });
  const machine = [
    ...describeMachine(command),
    `Queries: ${options.queries} timed one at a time, then ${options.concurrency} clients for ${options.seconds} s`,
    `Total run time: ${secondsSince(started).toFixed(1)} s`,
  ];
  const result: Report = { machine, table: markdownTable(COLUMNS, rows), skipped };
  const report = formatReport(result);
  console.log(report);
  if (options.markdown) await Deno.writeTextFile(options.markdown, report);
  return result;
}

if (import.meta.main) await runBenchmark();
