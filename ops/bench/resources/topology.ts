/**
 * The processes the resource benchmark starts, as a user would (`deno run -P=server main.ts`):
 *
 * embedded: one process with every role, PGlite inside it (a temporary DATA_DIR).
 * production: EVENT_STORE=postgres on a scratch database of POSTGRES_URL, TELEMETRY_LOG=kafka on a
 * topic of the run's own (KAFKA_BROKERS), Redis (REDIS_URL) under a key prefix of the run's own.
 * With `split` the API process takes only the api role and a second process runs the projections,
 * as docker-compose.yml runs them; with `single` one process runs every role.
 */
import { type ServiceProcess, startService } from "../../../adapters/testing/service-process.ts";
import { createScratchDatabase } from "../event-store/scratch-database.ts";
import { progress } from "../lib/progress.ts";
import { deleteKafkaLeftovers } from "../projections/kafka.ts";

export type Profile = "embedded" | "production";
export type Topology = "split" | "single";

export interface Services {
  api: ServiceProcess;
  /** The projections process, when the API process does not run them itself. */
  projections?: ServiceProcess;
  stop(): Promise<void>;
}

const UNLIMITED = "1000000";

/** Every viewer comes from 127.0.0.1: the per-address limits would otherwise refuse most. */
const LOAD_TEST_ENV = {
  AUTH_MODE: "off",
  LOG_LEVEL: "info",
  WRITE_RATE_PER_ADDRESS: UNLIMITED,
  WRITE_BURST_PER_ADDRESS: UNLIMITED,
  INGEST_RATE_PER_ADDRESS: UNLIMITED,
  INGEST_BURST_PER_ADDRESS: UNLIMITED,
};

export async function startServices(
  profile: Profile,
  topology: Topology,
  heartbeatSec: number,
  /** A directory for each service process's V8 CPU profile (written when it stops). */
  cpuProfileDir?: string,
): Promise<Services> {
  const { env, cleanUp } = await profileEnv(profile);
  const common = { ...env, ...LOAD_TEST_ENV, SESSION_HEARTBEAT_SEC: String(heartbeatSec) };
  const split = profile === "production" && topology === "split";
  const profiling = cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const start = (roles: string) =>
    startService("deno", ["run", "-P=server", ...profiling, "main.ts"], {
      ...common,
      PORT: "0",
      PROCESS_ROLES: roles,
      TRANSCODE_CONCURRENCY: "0",
    });
  const started: ServiceProcess[] = [];
  try {
    const api = await start(split ? "api" : "api,projections,transcoder");
    started.push(api);
    const projections = split ? await start("projections") : undefined;
    if (projections) started.push(projections);
    return {
      api,
      projections,
      stop: async () => {
        await Promise.all(started.map((process) => process.stop()));
        await cleanUp();
      },
    };
  } catch (error) {
    await Promise.all(started.map((process) => process.stop()));
    await cleanUp();
    throw error;
  }
}

/** The profile's environment for the service, and what to clean up after. */
async function profileEnv(
  profile: Profile,
): Promise<{ env: Record<string, string>; cleanUp: () => Promise<void> }> {
  if (profile === "embedded") {
    const dir = await Deno.makeTempDir({ prefix: "bench-resources-" });
    return { env: { DATA_DIR: dir }, cleanUp: () => Deno.remove(dir, { recursive: true }) };
  }
  const postgresUrl = Deno.env.get("POSTGRES_URL");
  const brokers = Deno.env.get("KAFKA_BROKERS");
  const redisUrl = Deno.env.get("REDIS_URL");
  if (!postgresUrl || !brokers || !redisUrl) {
    throw new Error("--profile production needs POSTGRES_URL, KAFKA_BROKERS and REDIS_URL");
  }
  const database = await createScratchDatabase(postgresUrl);
  const run = crypto.randomUUID().slice(0, 8);
  const topic = `bench-resources-${run}`;
  return {
    env: {
      EVENT_STORE: "postgres",
      POSTGRES_URL: database.url,
      TELEMETRY_LOG: "kafka",
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: topic,
      REDIS_URL: redisUrl,
      // The simulator's event ids repeat from run to run (seeded): a shared prefix would take a
      // second run's events for repeats of the first's.
      REDIS_KEY_PREFIX: `bench-resources-${run}:`,
    },
    cleanUp: async () => {
      await database.drop();
      (await deleteKafkaLeftovers(brokers.split(","), topic, [])).forEach(progress);
    },
  };
}
