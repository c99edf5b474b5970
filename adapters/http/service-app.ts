/** Every feature the service serves, mounted in the HTTP shell. Used by main.ts and by tests. */
import { Hono } from "hono";
import { showCommandRoutes } from "../../commands/catalog/show-routes.ts";
import { videoCommandRoutes } from "../../commands/catalog/video-routes.ts";
import { positionRoutes } from "../../commands/positions/routes.ts";
import { telemetryRoutes } from "../../commands/telemetry/routes.ts";
import { transcodeCommandRoutes } from "../../commands/transcoding/routes.ts";
import { uploadRoutes } from "../../commands/uploads/routes.ts";
import { type UploadCommands, uploadCommands } from "../../commands/uploads/upload-commands.ts";
import type { BlobStorage } from "../../domain/ports/blob-storage.ts";
import type { MediaProbe } from "../../domain/ports/media-probe.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { SearchPort } from "../../domain/ports/search.ts";
import type { RateLimiter } from "../../domain/ports/rate-limiter.ts";
import type { RecentKeys } from "../../domain/ports/recent-keys.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import type { TelemetryLog } from "../../domain/ports/telemetry-log.ts";
import { type ResumeRules, resumeRulesFrom } from "../../domain/watch-history/resume-rules.ts";
import type { ProjectionRuntime } from "../../projections/runtime/runtime.ts";
import { catalogQueryRoutes } from "../../read-api/catalog/routes.ts";
import { type MediaDeliveryDeps, mediaRoutes } from "../../read-api/media/routes.ts";
import { projectionRoutes } from "../../read-api/projections/routes.ts";
import { watchHistoryRoutes } from "../../read-api/watch-history/routes.ts";
import { searchRoutes } from "../../read-api/search/routes.ts";
import { sessionRoutes } from "../../read-api/sessions/routes.ts";
import { createApp } from "./app.ts";
import type { ReadinessChecks } from "./health.ts";
import { clientAddress } from "./client-address.ts";
import { rateLimit } from "./middleware/rate-limit.ts";

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
  /** Token buckets for telemetry ingest, per user and per client address. */
  ingestLimits?: { perUser: RateLimiter; perAddress: RateLimiter };
  /** Whether X-Forwarded-For names the client (behind a trusted proxy). */
  trustProxy?: boolean;
  /** More checks for GET /ready (e.g. Redis when shared state lives there). */
  readiness?: ReadinessChecks;
  projections: ProjectionRuntime;
  logger: Logger;
  version: string;
  maxBodyBytes: number;
  commandRetries: number;
  /** The players' heartbeat interval: a session silent for three of them is dropped (default 10 s). */
  sessionHeartbeatSec?: number;
  /** Resume and completed rules of the watch history; defaults 5 %, 90 %, 300 s. */
  resumeRules?: Partial<ResumeRules>;
  /** Search (GET /v1/search); not mounted without it. Its outage answers 503 on search only. */
  search?: SearchPort;
  /** Media delivery (playback, signed streams) and re-transcode; not mounted without it. */
  media?: Omit<MediaDeliveryDeps, "readModels">;
  /** Uploads; not mounted without them. */
  uploads?: UploadFeatureDeps;
}

export interface UploadFeatureDeps {
  storage: BlobStorage;
  probe: MediaProbe;
  /** Largest simple upload (POST /v1/videos/{id}/upload). */
  maxBytes: number;
  /** Builds the resumable (tus) endpoint on the upload commands; mounted at /v1/uploads. */
  resumable?: (commands: UploadCommands) => Hono;
}

/** Upload routes read their bodies themselves: mounted outside the JSON body rules. */
function uploadFeatures(deps: ServiceDeps) {
  if (!deps.uploads) return [];
  const { storage, probe, maxBytes, resumable } = deps.uploads;
  const commands = { store: deps.eventStore, retries: deps.commandRetries, storage, probe };
  return [
    { path: "/videos", app: uploadRoutes({ ...commands, maxBytes }) },
    ...(resumable ? [{ path: "/uploads", app: resumable(uploadCommands(commands)) }] : []),
  ];
}

/** POST /v1/events behind its rate limits. */
function ingestApp(deps: ServiceDeps): Hono {
  const app = new Hono();
  if (deps.ingestLimits) {
    const { perUser, perAddress } = deps.ingestLimits;
    app.use(rateLimit({
      limiter: perAddress,
      keyOf: (c) => clientAddress(c, deps.trustProxy ?? false),
      scope: "from this address",
    }));
    app.use(rateLimit({
      limiter: perUser,
      keyOf: (c) => c.req.header("x-user-id"),
      scope: "for this user",
    }));
  }
  return app.route(
    "/",
    telemetryRoutes({
      log: deps.telemetry,
      recent: deps.recentKeys,
      maxEvents: deps.maxEventsPerBatch,
      countryHeader: deps.countryHeader,
    }),
  );
}

/** GET /v1/videos/:id/playback and .../stream/..., and the re-transcode command. */
function mediaFeatures(deps: ServiceDeps) {
  if (!deps.media) return [];
  return [
    { path: "/videos", app: mediaRoutes({ ...deps.media, readModels: deps.readModels }) },
    {
      path: "/videos",
      app: transcodeCommandRoutes({ store: deps.eventStore, retries: deps.commandRetries }),
    },
  ];
}

export function serviceApp(deps: ServiceDeps): Hono {
  const commands = { store: deps.eventStore, retries: deps.commandRetries };
  const catalog = catalogQueryRoutes(deps.readModels);
  const watchHistory = watchHistoryRoutes(deps.readModels, resumeRulesFrom(deps.resumeRules));
  return createApp({
    logger: deps.logger,
    version: deps.version,
    maxBodyBytes: deps.maxBodyBytes,
    readiness: {
      event_store: () => deps.eventStore.ping(),
      read_models: async () => void await deps.readModels.query("SELECT 1"),
      telemetry_log: () => deps.telemetry.ping(),
      ...deps.readiness,
    },
    rawBodyFeatures: uploadFeatures(deps),
    features: [
      { path: "/videos", app: videoCommandRoutes(commands) },
      { path: "/videos", app: catalog.videos },
      { path: "/shows", app: showCommandRoutes(commands) },
      { path: "/shows", app: catalog.shows },
      { path: "/events", app: ingestApp(deps) },
      { path: "/projections", app: projectionRoutes(deps.projections) },
      { path: "/me", app: positionRoutes({ log: deps.telemetry }) },
      { path: "/me", app: watchHistory.me },
      { path: "/me", app: sessionRoutes(deps.readModels, deps.sessionHeartbeatSec ?? 10) },
      { path: "/shows", app: watchHistory.shows },
      ...(deps.search ? [{ path: "/search", app: searchRoutes(deps.search) }] : []),
      ...mediaFeatures(deps),
    ],
  });
}
