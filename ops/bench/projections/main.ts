/**
 * Projection benchmark: the catalog projection's replay rate, the rate at which a telemetry
 * projection consumes and applies Kafka records, and append-to-visible latency of the catalog read
 * model, on PGlite (a temporary data directory on disk) and on a PostgreSQL server, each figure
 * beside a baseline from the same run. See docs/benchmarks.md.
 *
 *   deno task bench:projections [--catalog-events 20000] [--batch-size 1000] [--rebuilds 3]
 *     [--telemetry-records 100000] [--sessions 2000] [--partitions 6] [--visible-rate 5000]
 *     [--visible-seconds 10] [--appenders 64] [--events-per-append 1] [--poll-ms 5]
 *     [--only pglite|postgres] [--part replay|telemetry|visibility] [--markdown results.md]
 *
 * Each flag can also come from the environment (BENCH_CATALOG_EVENTS, BENCH_BATCH_SIZE, ...).
 * POSTGRES_URL names the server (the run uses a scratch database there, dropped at the end) and
 * KAFKA_BROKERS the Kafka cluster (a topic of its own, deleted at the end); without one, its part
 * is skipped.
 */
import type { TelemetryRecord } from "../../../domain/ports/telemetry-log.ts";
import { commandLine, describeMachine } from "../lib/machine.ts";
import { progress } from "../lib/progress.ts";
import { formatCount, formatReport, markdownTable, type Report } from "../lib/report.ts";
import { secondsSince } from "../lib/timing.ts";
import { type CatalogHistory, describeMix, planCatalogHistory } from "./catalog-history.ts";
import { benchCatalogReplay } from "./catalog-replay.ts";
import { type Engine, openPgliteEngine, openScratchServerEngine } from "./engines.ts";
import { heartbeatRecords } from "./heartbeats.ts";
import {
  OPTION_ENV_NAMES,
  type Options,
  type Part,
  readProjectionOptions,
  runsPart,
} from "./options.ts";
import { RESULT_COLUMNS, resultCells, type ResultRow } from "./result.ts";
import { benchEmbeddedApply, benchKafkaApply } from "./telemetry-apply.ts";
import { benchVisibility } from "./visibility.ts";

const SCRIPT = "ops/bench/projections/main.ts";

/** Planned on first use, once for both engines: a part not run needs none of it. */
interface Workload {
  history(): CatalogHistory;
  heartbeats(): TelemetryRecord[];
}

function planned<T>(plan: () => T): () => T {
  let value: T | undefined;
  return () => value ??= plan();
}

/** The report's three parts, each filled engine by engine. */
interface Sections {
  replay: ResultRow[];
  telemetry: ResultRow[];
  visibility: ResultRow[];
}

async function benchEngine(engine: Engine, options: Options, work: Workload, into: Sections) {
  const runs = (part: Part) => runsPart(options, part);
  if (runs("replay")) {
    into.replay.push(...await benchCatalogReplay(engine, options, work.history()));
  }
  if (runs("telemetry") && engine.kind === "pglite") {
    into.telemetry.push(await benchEmbeddedApply(engine, options, work.heartbeats()));
  } else if (runs("telemetry") && options.kafkaBrokers) {
    into.telemetry.push(
      await benchKafkaApply(engine, options, options.kafkaBrokers, work.heartbeats()),
    );
  }
  if (runs("visibility")) into.visibility.push(...await benchVisibility(engine, options));
}

function enginesToRun(options: Options): { openers: (() => Promise<Engine>)[]; skipped: string[] } {
  const openers: (() => Promise<Engine>)[] = [];
  const skipped: string[] = [];
  if (options.only !== "postgres") openers.push(openPgliteEngine);
  if (options.only === "pglite") {
    skipped.push("PostgreSQL server and Kafka (--only pglite)");
    return { openers, skipped };
  }
  if (!options.postgresUrl) {
    skipped.push("PostgreSQL server and Kafka: POSTGRES_URL is not set (see ops/services env)");
    return { openers, skipped };
  }
  if (!options.kafkaBrokers) {
    skipped.push("Kafka consume-and-apply: KAFKA_BROKERS is not set (see ops/services env)");
  }
  const url = options.postgresUrl;
  // The appenders of the append-to-visible case, the runtime's connections and the poller.
  openers.push(() => openScratchServerEngine(url, options.appenders + 4));
  return { openers, skipped };
}

function describeWorkload(options: Options, work: Workload): string[] {
  const runs = (part: Part) => runsPart(options, part);
  const lines = [
    `Projection runtime: batchSize ${options.batchSize}, tick 100 ms, in this process with the ` +
    "appenders (commits wake its subscription at once)",
  ];
  if (runs("replay")) {
    const history = work.history();
    lines.unshift(
      `Catalog history: ${formatCount(history.events)} events (${describeMix(history)}), ` +
        `${formatCount(history.videos)} videos and ${formatCount(history.shows)} shows, ` +
        "appended through PostgresEventStore.appendToStream one command at a time",
    );
  }
  if (runs("telemetry")) {
    lines.push(
      `Telemetry: ${formatCount(work.heartbeats().length)} heartbeats (JSON, ~450 bytes) over ` +
        `${formatCount(options.sessions)} sessions, ${options.partitions} partitions`,
    );
  }
  if (runs("visibility")) {
    lines.push(
      `Append-to-visible: ${options.visibleSeconds} s per run, the first ` +
        `${Math.min(1, options.visibleSeconds / 10)} s not counted; the live catalog ` +
        `checkpoint polled every ${options.pollMs} ms, and when it moved catalog.videos asked ` +
        "for the ids not seen yet",
    );
  }
  if (
    runs("telemetry") && options.kafkaBrokers && options.only !== "pglite" && options.postgresUrl
  ) {
    lines.push(
      `Kafka: brokers ${options.kafkaBrokers.join(",")}, topic bench-projections-<random> ` +
        "(deleted afterwards)",
    );
  }
  return lines;
}

/** Runs the benchmark with `args` (flags as on the command line), prints and returns its report. */
export async function runBenchmark(args: string[] = Deno.args): Promise<Report> {
  const options = readProjectionOptions(args);
  const started = performance.now();
  const loadAtStart = Deno.loadavg().map((load) => load.toFixed(2)).join(", ");
  const { openers, skipped } = enginesToRun(options);
  skipped.forEach((reason) => progress(`skipping ${reason}`));
  const work: Workload = {
    history: planned(() => planCatalogHistory(options.catalogEvents)),
    heartbeats: planned(() => heartbeatRecords(options.telemetryRecords, options.sessions)),
  };
  const sections: Sections = { replay: [], telemetry: [], visibility: [] };
  const descriptions: string[] = [];
  for (const open of openers) {
    const engine = await open();
    try {
      descriptions.push(...await engine.describe());
      await benchEngine(engine, options, work, sections);
    } finally {
      await engine.dispose();
    }
  }
  const command = commandLine({
    args,
    script: SCRIPT,
    urlEnv: ["POSTGRES_URL"],
    env: [...OPTION_ENV_NAMES, "KAFKA_BROKERS"],
  });
  const machine = [
    ...describeMachine(command),
    `Load average (1, 5, 15 min) at the start: ${loadAtStart}`,
    ...descriptions,
    ...describeWorkload(options, work),
    `Total run time: ${secondsSince(started).toFixed(1)} s`,
  ];
  const rows = [...sections.replay, ...sections.telemetry, ...sections.visibility];
  const result: Report = {
    machine,
    table: markdownTable(RESULT_COLUMNS, rows.map(resultCells)),
    skipped,
  };
  const report = formatReport(result);
  console.log(report);
  if (options.markdown) await Deno.writeTextFile(options.markdown, report);
  return result;
}

if (import.meta.main) await runBenchmark();
