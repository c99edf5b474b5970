/**
 * Composition root: configuration -> adapters -> app -> server. The only module that knows which
 * concrete adapters run; everything else receives them through ports.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import type { EventStore } from "./domain/ports/event-store.ts";
import type { Logger } from "./domain/ports/logger.ts";
import type { SqlClient } from "./domain/ports/sql.ts";
import type { TelemetryLog } from "./domain/ports/telemetry-log.ts";
import { projections } from "./projections/index.ts";
import { ProjectionRuntime } from "./projections/runtime/runtime.ts";
import { type Config, ConfigError, loadConfig } from "./adapters/config/env.ts";
import { serviceApp } from "./adapters/http/service-app.ts";
import { KafkaTelemetryLog } from "./adapters/kafka/telemetry-log.ts";
import { jsonLogger } from "./adapters/logging/json-logger.ts";
import { MemoryRecentKeys } from "./adapters/memory/recent-keys.ts";
import { PostgresEventStore } from "./adapters/postgres/event-store.ts";
import { migrate } from "./adapters/postgres/migrate.ts";
import { migrations } from "./adapters/postgres/migrations/index.ts";
import { openPglite } from "./adapters/postgres/pglite-client.ts";
import { connectPostgres } from "./adapters/postgres/postgres-js-client.ts";
import { SqlTelemetryLog } from "./adapters/postgres/telemetry-log.ts";
import type { Runtime } from "./adapters/runtime/server.ts";
import packageJson from "./package.json" with { type: "json" };

interface Resources {
  eventStore: EventStore;
  readModels: SqlClient;
  telemetry: TelemetryLog;
  close: () => Promise<void>;
}

async function openResources(config: Config, logger: Logger): Promise<Resources> {
  const openSql = async (kind: "pglite" | "postgres") => {
    const sql = kind === "pglite"
      ? await openPglite(await dataDirFor("pglite"))
      : connectPostgres({ url: config.POSTGRES_URL!, max: config.POSTGRES_POOL_SIZE });
    const applied = await migrate(sql, migrations);
    if (applied.length) logger.info("migrated", { database: kind, versions: applied });
    return sql;
  };
  const dataDirFor = async (name: string) => {
    const dir = join(config.DATA_DIR, name);
    await mkdir(dir, { recursive: true });
    return dir;
  };
  // PGlite allows one opener per directory: event store and read models share it when both use it.
  const readModels = await openSql(config.READ_MODELS);
  const sql = config.EVENT_STORE === config.READ_MODELS
    ? readModels
    : config.EVENT_STORE === "eventstoredb"
    ? undefined
    : await openSql(config.EVENT_STORE);
  const eventStore = sql
    ? await PostgresEventStore.open(sql)
    : (await import("./adapters/eventstoredb/event-store.ts")).EventStoreDbEventStore.connect(
      config.EVENTSTORE_URL!,
    );
  // The embedded log lives beside the read models (one PGlite in the embedded profile).
  const telemetry = config.TELEMETRY_LOG === "kafka"
    ? new KafkaTelemetryLog({
      brokers: config.KAFKA_BROKERS!.split(","),
      topic: config.KAFKA_TOPIC,
      partitions: config.TELEMETRY_PARTITIONS,
      logger,
    })
    : await SqlTelemetryLog.open(readModels, { partitions: config.TELEMETRY_PARTITIONS, logger });
  return {
    eventStore,
    readModels,
    telemetry,
    close: async () => {
      await telemetry.close();
      await eventStore.close();
      if (sql && sql !== readModels) await sql.close();
      await readModels.close();
    },
  };
}

async function loadPlatform(): Promise<Runtime> {
  const isDeno = "Deno" in globalThis;
  return isDeno
    ? (await import("./adapters/runtime/deno.ts")).runtime
    : (await import("./adapters/runtime/node.ts")).runtime;
}

async function main(): Promise<void> {
  const platform = await loadPlatform();
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return platform.exit(2);
  }
  const logger = jsonLogger(config.LOG_LEVEL, { service: "streaming-backend" });
  const resources = await openResources(config, logger);
  const projectionRuntime = new ProjectionRuntime({
    sql: resources.readModels,
    store: resources.eventStore,
    telemetry: resources.telemetry,
    logger,
    projections,
    onPoison: config.PROJECTION_ON_POISON,
    batchSize: config.PROJECTION_BATCH_SIZE,
  });
  await projectionRuntime.start();
  const app = serviceApp({
    eventStore: resources.eventStore,
    readModels: resources.readModels,
    telemetry: resources.telemetry,
    recentKeys: new MemoryRecentKeys(),
    maxEventsPerBatch: config.TELEMETRY_MAX_EVENTS,
    countryHeader: config.TRUSTED_COUNTRY_HEADER,
    projections: projectionRuntime,
    logger,
    version: packageJson.version,
    maxBodyBytes: config.MAX_BODY_BYTES,
    commandRetries: config.COMMAND_RETRIES,
  });
  const server = await platform.serve(app.fetch, { host: config.HOST, port: config.PORT });
  logger.info("listening", {
    url: `http://${config.HOST}:${server.port}`,
    event_store: config.EVENT_STORE,
    read_models: config.READ_MODELS,
    telemetry_log: config.TELEMETRY_LOG,
    data_dir: config.EVENT_STORE === "pglite" ? config.DATA_DIR : undefined,
  });

  platform.onShutdownSignal(async (signal) => {
    logger.info("shutting down", { signal });
    const forced = setTimeout(() => {
      logger.error("shutdown timed out", { timeout_ms: config.SHUTDOWN_TIMEOUT_MS });
      platform.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    await server.shutdown();
    await projectionRuntime.stop();
    await resources.close();
    clearTimeout(forced);
    logger.info("stopped");
    platform.exit(0);
  });
}

await main();
