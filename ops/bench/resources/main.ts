/**
 * Resource limit (issue 9, part 5): the API process's resident memory while the player simulator
 * drives N concurrent viewers against it, and whether it handles them: the posts the viewers'
 * clocks called for beside those sent, how late they went out, latencies, and the CPU time each
 * process spent per request (a figure the other work on a shared machine disturbs less than rates).
 *
 *   deno run -P=test ops/bench/resources/main.ts [--viewers 10000] [--duration 60] [--ramp 20]
 *     [--heartbeat 10] [--concurrency 256] [--profile embedded|production] [--topology split|single]
 *     [--cpu-prof DIR]
 *
 * --cpu-prof writes a V8 CPU profile of each service process into DIR when it stops (profile the
 * simulator too with `deno run --cpu-prof`).
 *
 * The processes and their configuration are in topology.ts.
 */
import { runPlayers } from "../../simulate/players.ts";
import { exactQuantile } from "../../simulate/truth.ts";
import { DEFAULT_CHANCES } from "../../simulate/viewer.ts";
import { commandLine, describeMachine } from "../lib/machine.ts";
import { integerOption, optionEnvNames, readOptions, textOption } from "../lib/options.ts";
import { progress } from "../lib/progress.ts";
import { cpuByName, cpuSpentByName, processUsage } from "./process-usage.ts";
import { startServices } from "./topology.ts";

const SPECS = {
  viewers: integerOption("BENCH_VIEWERS", 10_000),
  duration: integerOption("BENCH_DURATION_SEC", 60),
  ramp: integerOption("BENCH_RAMP_SEC", 20),
  heartbeat: integerOption("BENCH_HEARTBEAT_SEC", 10),
  concurrency: integerOption("BENCH_CONCURRENCY", 256),
  profile: textOption("BENCH_PROFILE", ["embedded", "production"]),
  topology: textOption("BENCH_TOPOLOGY", ["split", "single"]),
  "cpu-prof": textOption("BENCH_CPU_PROF_DIR"),
};
const LIMIT_MIB = 512;
/** The engines of the production profile, by process name: shared with whatever else runs. */
const ENGINES = ["redis-server", "java", "postgres"];
const SETTLE_MS = 15_000;

/** CPU seconds each process spent from here on: `since()` gives them per process. */
async function cpuClock(pids: Record<string, number>) {
  const read = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(pids).map(async ([name, pid]) => [name, (await processUsage(pid)).cpuSec]),
      ),
    ) as Record<string, number>;
  const start = await read();
  return async () => {
    const now = await read();
    return Object.fromEntries(Object.keys(pids).map((name) => [name, now[name]! - start[name]!]));
  };
}

/** The service's own time per request, from its access log lines (`duration_ms`). */
function serverDurations(lines: readonly string[]) {
  const durations = lines.filter((line) => line.includes('"duration_ms"')).flatMap((line) => {
    try {
      return [Number(JSON.parse(line).duration_ms)];
    } catch {
      return [];
    }
  });
  return { p50: exactQuantile(durations, 0.5), p99: exactQuantile(durations, 0.99) };
}

const options = readOptions(Deno.args, SPECS);
const profile = options.profile ?? "embedded";
const topology = options.topology ?? "split";
const loadAtStart = Deno.loadavg().map((load) => load.toFixed(2)).join(", ");
const services = await startServices(profile, topology, options.heartbeat, options["cpu-prof"]);
try {
  const pid = services.api.pid;
  // Right after start-up the embedded database still holds initdb's memory; it settles within
  // seconds, and "at rest" is what it settles to.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const atRest = (await processUsage(pid)).rssMiB;
  let peak = atRest;
  const sampler = setInterval(async () => {
    peak = Math.max(peak, (await processUsage(pid)).rssMiB);
  }, 500);
  progress(`API process up (pid ${pid}, RSS ${atRest.toFixed(0)} MiB); ${options.viewers} viewers`);
  const cpuSpent = await cpuClock({
    api: pid,
    ...(services.projections ? { projections: services.projections.pid } : {}),
    simulator: Deno.pid,
  });
  const enginesBefore = await cpuByName(ENGINES);
  const summary = await runPlayers({
    url: services.api.url,
    viewers: options.viewers,
    durationSec: options.duration,
    maxRequests: Number.MAX_SAFE_INTEGER,
    seed: 1,
    heartbeatMs: options.heartbeat * 1000,
    rampSec: options.ramp,
    chances: DEFAULT_CHANCES,
    contents: Array.from({ length: 8 }, (_, i) => `sim-content-${i}`),
    accounts: 1,
    concurrency: options.concurrency,
    reportEverySec: 10,
    onReport: (figures, active) =>
      progress(
        `viewers ${active}, ${figures.requests_per_sec} req/s, p99 ${figures.latency_ms.p99} ms, ` +
          `send delay p99 ${figures.send_delay_ms.p99} ms, RSS peak ${peak.toFixed(0)} MiB, ` +
          `errors ${JSON.stringify(figures.errors)}`,
      ),
  });
  const cpu = await cpuSpent();
  const engines = cpuSpentByName(enginesBefore, await cpuByName(ENGINES));
  clearInterval(sampler);
  peak = Math.max(peak, (await processUsage(pid)).rssMiB);
  const { total } = summary;
  const server = serverDurations(services.api.output);
  const perRequest = ([name, seconds]: [string, number]) =>
    `${name} ${(100 * seconds / total.seconds).toFixed(0)}% of a core ` +
    `(${(1000 * seconds / Math.max(1, total.requests)).toFixed(2)} ms per request)`;
  const cpuLine = Object.entries(cpu).map(perRequest).join(", ");
  const engineLine = profile === "production"
    ? Object.entries(engines).map(perRequest).join(", ")
    : "none";
  const command = commandLine({
    script: "ops/bench/resources/main.ts",
    env: optionEnvNames(SPECS),
  });
  console.log([
    ...describeMachine(command).map((line) => `- ${line}`),
    `- Load average (1, 5, 15 min) at the start: ${loadAtStart}`,
    `- Profile: ${profile}${profile === "production" ? `, topology ${topology}` : ""}; ` +
    "services started as `deno run -P=server main.ts` (a JSON log line per request)",
    "",
    `API process RSS: ${atRest.toFixed(0)} MiB at rest, peak ${peak.toFixed(0)} MiB with ` +
    `${options.viewers} viewers over ${options.duration} s (limit ${LIMIT_MIB} MiB: ` +
    `${peak <= LIMIT_MIB ? "met" : "**not met**"})`,
    `Event posts: ${summary.posts_due} due by the viewers' clocks ` +
    `(${(summary.posts_due / total.seconds).toFixed(0)}/s), ${total.requests} sent ` +
    `(${total.requests_per_sec}/s); send delay p50 ${total.send_delay_ms.p50} ms, ` +
    `p99 ${total.send_delay_ms.p99} ms`,
    `Latency p50 ${total.latency_ms.p50} ms, p99 ${total.latency_ms.p99} ms as the simulator saw ` +
    `it; p50 ${server.p50} ms, p99 ${server.p99} ms inside the service (access log)`,
    `CPU: ${cpuLine}`,
    `CPU of the engines (with whatever else used them meanwhile): ${engineLine}`,
    `Load: ${JSON.stringify(total)}`,
    `Sessions started: ${summary.sessions_started}`,
  ].join("\n"));
} finally {
  await services.stop();
}
