/**
 * Resource limit (issue 9, part 5): the API process's resident memory while the player simulator
 * drives N concurrent viewers against it. Starts the service as a user would (main.ts, AUTH_MODE=off,
 * per-address rate limits raised: every viewer comes from 127.0.0.1), samples its RSS with ps
 * twice a second, and prints the peak beside the RSS at rest and the load figures.
 *
 *   deno run -P=test ops/bench/resources/main.ts [--viewers 10000] [--duration 60] [--ramp 20]
 *     [--heartbeat 10] [--concurrency 256] [--profile embedded|production]
 *
 * embedded: PGlite in the API process (a temporary DATA_DIR), the heaviest case for its memory.
 * production: EVENT_STORE=postgres on a scratch database of POSTGRES_URL and TELEMETRY_LOG=kafka on
 * a topic of the run's own (KAFKA_BROKERS).
 */
import { startService } from "../../../adapters/testing/service-process.ts";
import { runPlayers } from "../../simulate/players.ts";
import { DEFAULT_CHANCES } from "../../simulate/viewer.ts";
import { createScratchDatabase } from "../event-store/scratch-database.ts";
import { commandLine, describeMachine } from "../lib/machine.ts";
import { integerOption, optionEnvNames, readOptions, textOption } from "../lib/options.ts";
import { progress } from "../lib/progress.ts";
import { deleteKafkaLeftovers } from "../projections/kafka.ts";

const SPECS = {
  viewers: integerOption("BENCH_VIEWERS", 10_000),
  duration: integerOption("BENCH_DURATION_SEC", 60),
  ramp: integerOption("BENCH_RAMP_SEC", 20),
  heartbeat: integerOption("BENCH_HEARTBEAT_SEC", 10),
  concurrency: integerOption("BENCH_CONCURRENCY", 256),
  profile: textOption("BENCH_PROFILE", ["embedded", "production"]),
};
const LIMIT_MIB = 512;
const UNLIMITED = "1000000";

/** Resident memory of a process in MiB, from ps (reading /proc directly needs every permission). */
async function rssMiB(pid: number): Promise<number> {
  const { stdout } = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)] })
    .output();
  return Number(new TextDecoder().decode(stdout).trim()) / 1024;
}

/** The profile's environment for the service, and what to clean up after. */
async function profileEnv(
  profile: string,
): Promise<{ env: Record<string, string>; cleanUp: () => Promise<void> }> {
  if (profile === "embedded") {
    const dir = await Deno.makeTempDir({ prefix: "bench-resources-" });
    return { env: { DATA_DIR: dir }, cleanUp: () => Deno.remove(dir, { recursive: true }) };
  }
  const postgresUrl = Deno.env.get("POSTGRES_URL");
  const brokers = Deno.env.get("KAFKA_BROKERS");
  if (!postgresUrl || !brokers) {
    throw new Error("--profile production needs POSTGRES_URL and KAFKA_BROKERS");
  }
  const database = await createScratchDatabase(postgresUrl);
  const topic = `bench-resources-${crypto.randomUUID().slice(0, 8)}`;
  return {
    env: {
      EVENT_STORE: "postgres",
      POSTGRES_URL: database.url,
      TELEMETRY_LOG: "kafka",
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: topic,
    },
    cleanUp: async () => {
      await database.drop();
      (await deleteKafkaLeftovers(brokers.split(","), topic, [])).forEach(progress);
    },
  };
}

const options = readOptions(Deno.args, SPECS);
const profile = options.profile ?? "embedded";
const { env, cleanUp } = await profileEnv(profile);
const service = await startService("deno", ["run", "-P=server", "main.ts"], {
  ...env,
  PORT: "0",
  AUTH_MODE: "off",
  LOG_LEVEL: "info",
  WRITE_RATE_PER_ADDRESS: UNLIMITED,
  WRITE_BURST_PER_ADDRESS: UNLIMITED,
  INGEST_RATE_PER_ADDRESS: UNLIMITED,
  INGEST_BURST_PER_ADDRESS: UNLIMITED,
});
try {
  const atRest = await rssMiB(service.pid);
  let peak = atRest;
  const sampler = setInterval(async () => {
    peak = Math.max(peak, await rssMiB(service.pid));
  }, 500);
  progress(
    `service up (pid ${service.pid}, RSS ${atRest.toFixed(0)} MiB); ${options.viewers} viewers`,
  );
  const summary = await runPlayers({
    url: service.url,
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
          `RSS peak ${peak.toFixed(0)} MiB, errors ${JSON.stringify(figures.errors)}`,
      ),
  });
  clearInterval(sampler);
  peak = Math.max(peak, await rssMiB(service.pid));
  const command = commandLine({
    script: "ops/bench/resources/main.ts",
    env: optionEnvNames(SPECS),
  });
  console.log([
    ...describeMachine(command).map((line) => `- ${line}`),
    `- Profile: ${profile}; service started as \`deno run -P=server main.ts\` (a JSON log line per request)`,
    "",
    `API process RSS: ${atRest.toFixed(0)} MiB at rest, peak ${peak.toFixed(0)} MiB with ` +
    `${options.viewers} viewers over ${options.duration} s (limit ${LIMIT_MIB} MiB: ` +
    `${peak <= LIMIT_MIB ? "met" : "**not met**"})`,
    `Load: ${JSON.stringify(summary.total)}`,
    `Sessions started: ${summary.sessions_started}`,
  ].join("\n"));
} finally {
  await service.stop();
  await cleanUp();
}
