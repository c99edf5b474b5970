/**
 * The whole service for the visibility cases, with the watch history (and catalog) projections:
 * embedded (PGlite in memory, the table-backed log) or production (a scratch database on the
 * PostgreSQL server, a Kafka topic of its own, and optionally the Redis positions cache).
 */
import type { Hono } from "hono";
import { serviceApp } from "../../../adapters/http/service-app.ts";
import { jsonLogger } from "../../../adapters/logging/json-logger.ts";
import { MemoryRecentKeys } from "../../../adapters/memory/recent-keys.ts";
import { migrate } from "../../../adapters/postgres/migrate.ts";
import { migrations } from "../../../adapters/postgres/migrations/index.ts";
import { openPglite } from "../../../adapters/postgres/pglite-client.ts";
import { PostgresEventStore } from "../../../adapters/postgres/event-store.ts";
import { SqlTelemetryLog } from "../../../adapters/postgres/telemetry-log.ts";
import type { EventStore } from "../../../domain/ports/event-store.ts";
import type { PositionsCache } from "../../../domain/ports/positions-cache.ts";
import type { SqlClient } from "../../../domain/ports/sql.ts";
import type { TelemetryLog } from "../../../domain/ports/telemetry-log.ts";
import { ProjectionRuntime } from "../../../projections/runtime/runtime.ts";
import { catalogProjection } from "../../../projections/catalog/projection.ts";
import { watchHistoryProjection } from "../../../projections/watch-history/projection.ts";

export interface Backend {
  sql: SqlClient;
  store: EventStore;
  telemetry: TelemetryLog;
  runtime: ProjectionRuntime;
  /** The service over this backend, reading positions through `cache` when given. */
  app(cache?: PositionsCache): Hono;
  close(): Promise<void>;
}

export async function openBackend(
  sql: SqlClient,
  store: EventStore,
  telemetry: TelemetryLog,
): Promise<Backend> {
  const logger = jsonLogger("warn", { bench: "ingest" }, (line) => console.error(line));
  const runtime = new ProjectionRuntime({
    sql,
    store,
    telemetry,
    logger,
    // Position reads join the catalog read model.
    projections: [catalogProjection, watchHistoryProjection],
    tickMs: 100,
  });
  await runtime.start();
  return {
    sql,
    store,
    telemetry,
    runtime,
    app: (cache) =>
      serviceApp({
        eventStore: store,
        readModels: sql,
        telemetry,
        recentKeys: new MemoryRecentKeys(),
        maxEventsPerBatch: 100,
        projections: runtime,
        logger: jsonLogger("silent"),
        version: "bench",
        maxBodyBytes: 1 << 20,
        commandRetries: 3,
        positionsCache: cache,
      }),
    close: () => runtime.stop(),
  };
}

/** The embedded profile, in memory. */
export async function openEmbeddedBackend(): Promise<Backend> {
  const sql = await openPglite();
  await migrate(sql, migrations);
  const backend = await openBackend(
    sql,
    await PostgresEventStore.open(sql),
    await SqlTelemetryLog.open(sql),
  );
  return {
    ...backend,
    close: async () => {
      await backend.close();
      await sql.close();
    },
  };
}
