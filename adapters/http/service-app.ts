/** Every feature the service serves, mounted in the HTTP shell. Used by main.ts and by tests. */
import type { Hono } from "hono";
import { showCommandRoutes } from "../../commands/catalog/show-routes.ts";
import { videoCommandRoutes } from "../../commands/catalog/video-routes.ts";
import { telemetryRoutes } from "../../commands/telemetry/routes.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { RecentKeys } from "../../domain/ports/recent-keys.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import type { TelemetryLog } from "../../domain/ports/telemetry-log.ts";
import type { ProjectionRuntime } from "../../projections/runtime/runtime.ts";
import { catalogQueryRoutes } from "../../read-api/catalog/routes.ts";
import { projectionRoutes } from "../../read-api/projections/routes.ts";
import { createApp } from "./app.ts";

export interface ServiceDeps {
  eventStore: EventStore;
  /** Where the read models live (PGlite or a PostgreSQL server). */
  readModels: SqlClient;
  telemetry: TelemetryLog;
  /** Repeats of telemetry events recently seen, dropped at ingest. */
  recentKeys: RecentKeys;
  /** Most events one telemetry batch may carry. */
  maxEventsPerBatch: number;
  /** Header a trusted edge sets to the client's country (e.g. "cf-ipcountry"). */
  countryHeader?: string;
  projections: ProjectionRuntime;
  logger: Logger;
  version: string;
  maxBodyBytes: number;
  commandRetries: number;
}

export function serviceApp(deps: ServiceDeps): Hono {
  const commands = { store: deps.eventStore, retries: deps.commandRetries };
  const catalog = catalogQueryRoutes(deps.readModels);
  return createApp({
    logger: deps.logger,
    version: deps.version,
    maxBodyBytes: deps.maxBodyBytes,
    readiness: {
      event_store: () => deps.eventStore.ping(),
      read_models: async () => void await deps.readModels.query("SELECT 1"),
      telemetry_log: () => deps.telemetry.ping(),
    },
    features: [
      { path: "/videos", app: videoCommandRoutes(commands) },
      { path: "/videos", app: catalog.videos },
      { path: "/shows", app: showCommandRoutes(commands) },
      { path: "/shows", app: catalog.shows },
      {
        path: "/events",
        app: telemetryRoutes({
          log: deps.telemetry,
          recent: deps.recentKeys,
          maxEvents: deps.maxEventsPerBatch,
          countryHeader: deps.countryHeader,
        }),
      },
      { path: "/projections", app: projectionRoutes(deps.projections) },
    ],
  });
}
