/**
 * Event store benchmark: append throughput, readAll replay rate and subscriber latency of the
 * PostgreSQL event store on PGlite (a temporary data directory on disk) and on a PostgreSQL server,
 * each beside a plain-SQL baseline run through the same driver in the same run. See
 * docs/benchmarks.md.
 *
 *   deno task bench:event-store [--events 20000] [--single-events 2000] [--concurrency 8]
 *     [--latency-samples 200] [--only pglite|postgres] [--markdown results.md]
 *
 * Each flag can also come from the environment (BENCH_EVENTS, BENCH_SINGLE_EVENTS, ...).
 * POSTGRES_URL names the server; without it the server part is skipped. On the server the run uses
 * a scratch database (CREATE DATABASE bench_<random>, dropped at the end) when it may create one.
 */
import { commandLine, describeMachine } from "../lib/machine.ts";
import { progress } from "../lib/progress.ts";
import { formatReport, markdownTable, type Report } from "../lib/report.ts";
import { secondsSince } from "../lib/timing.ts";
import { benchAppends } from "./append-throughput.ts";
import type { Engine } from "./engine.ts";
import { OPTION_ENV_NAMES, type Options, readEventStoreOptions } from "./options.ts";
import { openPgliteEngine } from "./pglite-engine.ts";
import { benchReplay, markStart } from "./replay.ts";
import { RESULT_COLUMNS, resultCells, type ResultRow } from "./result.ts";
import { openServerEngine } from "./server-engine.ts";
import { benchLatency } from "./subscriber-latency.ts";

const SCRIPT = "ops/bench/event-store/main.ts";

async function benchEngine(engine: Engine, options: Options): Promise<ResultRow[]> {
  const runId = crypto.randomUUID().slice(0, 8);
  const rows: ResultRow[] = [];
  const step = async (name: string, run: () => Promise<ResultRow>) => {
    progress(`${engine.label}: ${name}`);
    rows.push(await run());
  };
  const start = await markStart(engine.store, runId);
  await step("append, batch 1", () => benchAppends(engine, runId, 1, options.singleEvents));
  await step("append, batch 100", () => benchAppends(engine, runId, 100, options.events));
  await step("readAll replay", () => benchReplay(engine, start, options.replayRepeats));
  const sameStore = { store: engine.store, via: "same store" };
  await step("subscriber latency", () => benchLatency(engine, runId, options, sameStore));
  if (engine.openSecondStore) {
    const second = await engine.openSecondStore();
    const otherStore = { store: second.store, via: "second client (NOTIFY)" };
    try {
      await step(
        "subscriber latency via NOTIFY",
        () => benchLatency(engine, runId, options, otherStore),
      );
    } finally {
      await second.close();
    }
  }
  return rows;
}

async function runEngine(
  open: () => Promise<Engine>,
  options: Options,
): Promise<{ rows: ResultRow[]; description: string[] }> {
  const engine = await open();
  try {
    const description = await engine.describe();
    return { rows: await benchEngine(engine, options), description };
  } finally {
    await engine.dispose();
  }
}

function enginesToRun(options: Options): { openers: (() => Promise<Engine>)[]; skipped: string[] } {
  const openers: (() => Promise<Engine>)[] = [];
  const skipped: string[] = [];
  if (options.only !== "postgres") openers.push(openPgliteEngine);
  if (options.only === "pglite") skipped.push("PostgreSQL server (--only pglite)");
  else if (!options.postgresUrl) {
    skipped.push("PostgreSQL server: POSTGRES_URL is not set (see ops/services env)");
  } else {
    const url = options.postgresUrl;
    openers.push(() => openServerEngine(url, options.concurrency));
  }
  return { openers, skipped };
}

/** Runs the benchmark with `args` (flags as on the command line), prints and returns its report. */
export async function runBenchmark(args: string[] = Deno.args): Promise<Report> {
  const options = readEventStoreOptions(args);
  const started = performance.now();
  const { openers, skipped } = enginesToRun(options);
  skipped.forEach((reason) => progress(`skipping ${reason}`));
  const rows: ResultRow[] = [];
  const descriptions: string[] = [];
  for (const open of openers) {
    const result = await runEngine(open, options);
    rows.push(...result.rows);
    descriptions.push(...result.description);
  }
  const command = commandLine({
    args,
    script: SCRIPT,
    urlEnv: ["POSTGRES_URL"],
    env: OPTION_ENV_NAMES,
  });
  const machine = [...describeMachine(command), ...descriptions];
  machine.push(`Total run time: ${secondsSince(started).toFixed(1)} s`);
  const table = markdownTable(RESULT_COLUMNS, rows.map(resultCells));
  const result: Report = { machine, table, skipped };
  const report = formatReport(result);
  console.log(report);
  if (options.markdown) await Deno.writeTextFile(options.markdown, report);
  return result;
}

if (import.meta.main) await runBenchmark();
