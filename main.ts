/**
 * Composition root: configuration -> adapters -> app -> server. The only module that knows which
 * concrete adapters run; everything else receives them through ports.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { showCommandRoutes } from "./commands/catalog/show-routes.ts";
import { videoCommandRoutes } from "./commands/catalog/video-routes.ts";
import type { EventStore } from "./domain/ports/event-store.ts";
import type { Logger } from "./domain/ports/logger.ts";
import { type Config, ConfigError, loadConfig } from "./adapters/config/env.ts";
import { createApp } from "./adapters/http/app.ts";
import { jsonLogger } from "./adapters/logging/json-logger.ts";
import { PostgresEventStore } from "./adapters/postgres/event-store.ts";
import { migrate } from "./adapters/postgres/migrate.ts";
import { migrations } from "./adapters/postgres/migrations/index.ts";
import { openPglite } from "./adapters/postgres/pglite-client.ts";
import { connectPostgres } from "./adapters/postgres/postgres-js-client.ts";
import type { Runtime } from "./adapters/runtime/server.ts";
import packageJson from "./package.json" with { type: "json" };

interface Resources {
  eventStore: EventStore;
  close: () => Promise<void>;
}

async function openResources(config: Config, logger: Logger): Promise<Resources> {
  switch (config.EVENT_STORE) {
    case "pglite": {
      const dataDir = join(config.DATA_DIR, "pglite");
      await mkdir(dataDir, { recursive: true });
      const sql = await openPglite(dataDir);
      const applied = await migrate(sql, migrations);
      if (applied.length) logger.info("migrated", { versions: applied });
      const eventStore = await PostgresEventStore.open(sql);
      return { eventStore, close: async () => (await eventStore.close(), await sql.close()) };
    }
    case "postgres": {
      const sql = connectPostgres({ url: config.POSTGRES_URL!, max: config.POSTGRES_POOL_SIZE });
      const applied = await migrate(sql, migrations);
      if (applied.length) logger.info("migrated", { versions: applied });
      const eventStore = await PostgresEventStore.open(sql);
      return { eventStore, close: async () => (await eventStore.close(), await sql.close()) };
    }
    case "eventstoredb": {
      const { EventStoreDbEventStore } = await import("./adapters/eventstoredb/event-store.ts");
      const eventStore = EventStoreDbEventStore.connect(config.EVENTSTORE_URL!);
      return { eventStore, close: () => eventStore.close() };
    }
  }
}

async function loadRuntime(): Promise<Runtime> {
  const isDeno = "Deno" in globalThis;
  return isDeno
    ? (await import("./adapters/runtime/deno.ts")).runtime
    : (await import("./adapters/runtime/node.ts")).runtime;
}

async function main(): Promise<void> {
  const runtime = await loadRuntime();
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return runtime.exit(2);
  }
  const logger = jsonLogger(config.LOG_LEVEL, { service: "streaming-backend" });
  const resources = await openResources(config, logger);
  const commands = { store: resources.eventStore, retries: config.COMMAND_RETRIES };
  const app = createApp({
    logger,
    version: packageJson.version,
    maxBodyBytes: config.MAX_BODY_BYTES,
    readiness: { event_store: () => resources.eventStore.ping() },
    features: [
      { path: "/videos", app: videoCommandRoutes(commands) },
      { path: "/shows", app: showCommandRoutes(commands) },
    ],
  });
  const server = await runtime.serve(app.fetch, { host: config.HOST, port: config.PORT });
  logger.info("listening", {
    url: `http://${config.HOST}:${server.port}`,
    event_store: config.EVENT_STORE,
    data_dir: config.EVENT_STORE === "pglite" ? config.DATA_DIR : undefined,
  });

  runtime.onShutdownSignal(async (signal) => {
    logger.info("shutting down", { signal });
    const forced = setTimeout(() => {
      logger.error("shutdown timed out", { timeout_ms: config.SHUTDOWN_TIMEOUT_MS });
      runtime.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    await server.shutdown();
    await resources.close();
    clearTimeout(forced);
    logger.info("stopped");
    runtime.exit(0);
  });
}

await main();
