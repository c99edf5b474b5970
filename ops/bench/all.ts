/**
 * The benchmark suite: runs every benchmark of the project in turn (event store, projections,
 * media, ingest, analytics, QoE, search), then the ingest curves, and writes the generated report
 * docs/benchmarks-report.md with its SVG charts in docs/benchmarks-report/. Each benchmark's
 * figures come with their baseline from the same run, the ratio and the exact command.
 *
 *   ops/bench/all [--quick] [--only=event-store,ingest,...] [--out=docs/benchmarks-report.md]
 *
 * --quick: small parameters (minutes, not an hour). The engines come from the environment as for
 * each benchmark (`eval "$(ops/services env)"`); a benchmark whose engine is missing skips that part.
 */
import { dirname, join } from "node:path";
import { commandLine, describeMachine } from "./lib/machine.ts";
import { progress } from "./lib/progress.ts";
import { lineChartSvg } from "./lib/svg-chart.ts";
import { secondsSince } from "./lib/timing.ts";
import { BENCHMARKS } from "./suite/benchmarks.ts";
import { ingestCurves } from "./suite/curves.ts";
import { type Outcome, suiteDocument } from "./suite/document.ts";

interface SuiteOptions {
  quick: boolean;
  only?: string[];
  out: string;
}

function suiteOptions(args: readonly string[]): SuiteOptions {
  const options: SuiteOptions = { quick: false, out: "docs/benchmarks-report.md" };
  const names = [...BENCHMARKS.map((b) => b.name), "curves"];
  for (const arg of args) {
    const [flag, value] = arg.split("=", 2);
    if (flag === "--quick" && value === undefined) options.quick = true;
    else if (flag === "--out" && value) options.out = value;
    else if (flag === "--only" && value) {
      options.only = value.split(",");
      const unknown = options.only.filter((name) => !names.includes(name));
      if (unknown.length) throw new Error(`--only: unknown ${unknown}; names: ${names}`);
    } else throw new Error(`unknown argument "${arg}"; flags: --quick --only=a,b --out=file`);
  }
  return options;
}

const options = suiteOptions(Deno.args);
const chosen = (name: string) => !options.only || options.only.includes(name);
const outcomes: Outcome[] = [];
for (const benchmark of BENCHMARKS.filter((b) => chosen(b.name))) {
  progress(`suite: ${benchmark.name}`);
  const started = performance.now();
  try {
    const report = await benchmark.run(options.quick ? benchmark.quick : []);
    outcomes.push({ ...benchmark, seconds: secondsSince(started), result: { report } });
  } catch (error) {
    progress(`suite: ${benchmark.name} failed: ${error}`);
    outcomes.push({
      ...benchmark,
      seconds: secondsSince(started),
      result: { error: String(error) },
    });
  }
}
const brokers = Deno.env.get("KAFKA_BROKERS")?.split(",").map((b) => b.trim());
const curves = chosen("curves") ? await ingestCurves(options.quick ? 2_000 : 20_000, brokers) : [];

const chartDir = options.out.replace(/\.md$/, "");
await Deno.mkdir(chartDir, { recursive: true });
for (const curve of curves) {
  await Deno.writeTextFile(join(chartDir, `${curve.name}.svg`), lineChartSvg(curve.chart));
}
const command = commandLine({
  script: "ops/bench/all.ts",
  urlEnv: ["POSTGRES_URL", "REDIS_URL", "MEILISEARCH_URL"],
  env: ["KAFKA_BROKERS"],
});
await Deno.writeTextFile(
  options.out,
  suiteDocument({
    command,
    machine: describeMachine(command),
    generatedAt: new Date(),
    outcomes,
    curves,
    chartDir: chartDir.slice(dirname(options.out).length + 1),
  }),
);
// The report and charts are checked with the rest of the tree: formatted as `deno fmt` would.
await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", options.out, chartDir] })
  .output();
progress(`suite: wrote ${options.out}`);
// As in the ingest benchmark (ops/bench/ingest/main.ts): everything is closed, but kafkajs can
// leave a timer behind that keeps the process alive for minutes; the report is written, so end.
Deno.exit(0);
