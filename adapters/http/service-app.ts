/** Every feature the service serves, mounted in the HTTP shell. Used by main.ts and by tests. */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { UpgradeWebSocket } from "hono/ws";
import { cmcdTelemetry } from "../../commands/cmcd/middleware.ts";
import { CMCD_BODY_TYPES, cmcdRoutes } from "../../commands/cmcd/routes.ts";
import { publishPlaybackStates } from "../../commands/device-sync/publish-states.ts";
import { writeThroughPositions } from "../../commands/positions/write-through.ts";
import { allOf } from "../../commands/telemetry/on-accepted.ts";
import { showCommandRoutes } from "../../commands/catalog/show-routes.ts";
import { videoCommandRoutes } from "../../commands/catalog/video-routes.ts";
import { geoRestrictionRoutes } from "../../commands/catalog/geo-routes.ts";
import { playbackAccess } from "../../read-api/catalog/playback-access.ts";
import { positionRoutes } from "../../commands/positions/routes.ts";
import { telemetryRoutes } from "../../commands/telemetry/routes.ts";
import type { CmcdDecoder } from "../../domain/ports/cmcd-decoder.ts";
import { transcodeCommandRoutes } from "../../commands/transcoding/routes.ts";
import { uploadRoutes } from "../../commands/uploads/routes.ts";
import { type UploadCommands, uploadCommands } from "../../commands/uploads/upload-commands.ts";
import type { BlobStorage } from "../../domain/ports/blob-storage.ts";
import type { MediaProbe } from "../../domain/ports/media-probe.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import { silenceMs } from "../../domain/playback/session.ts";
import type { LeaderboardStore } from "../../domain/ports/leaderboard.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { QuantileSketches } from "../../domain/ports/quantile-sketch.ts";
import type { PositionsCache } from "../../domain/ports/positions-cache.ts";
import type { PubSub } from "../../domain/ports/pubsub.ts";
import type { SearchPort } from "../../domain/ports/search.ts";
import type { RateLimiter } from "../../domain/ports/rate-limiter.ts";
import type { RecentKeys } from "../../domain/ports/recent-keys.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import type { TelemetryLog } from "../../domain/ports/telemetry-log.ts";
import { type ResumeRules, resumeRulesFrom } from "../../domain/watch-history/resume-rules.ts";
import type { ProjectionRuntime } from "../../projections/runtime/runtime.ts";
import { Leaderboards } from "../../read-api/analytics/leaderboards.ts";
import { analyticsRoutes } from "../../read-api/analytics/routes.ts";
import { catalogQueryRoutes } from "../../read-api/catalog/routes.ts";
import { deviceSyncRoutes } from "../../read-api/device-sync/routes.ts";
import { announcingEnds, SessionSockets } from "../../read-api/device-sync/session-ends.ts";
import { type MediaDeliveryDeps, mediaRoutes } from "../../read-api/media/routes.ts";
import { projectionRoutes } from "../../read-api/projections/routes.ts";
import { type QoeReadSettings, qoeRoutes } from "../../read-api/qoe/routes.ts";
import { alertRoutes } from "../../read-api/alerts/routes.ts";
import { watchHistoryRoutes } from "../../read-api/watch-history/routes.ts";
import { searchRoutes } from "../../read-api/search/routes.ts";
import { sessionRoutes } from "../../read-api/sessions/routes.ts";
import { createApp } from "./app.ts";
import { SqlSnapshotStore } from "../postgres/snapshot-store.ts";
import { type LeanMediaPath, leanMediaPath, withLeanMediaPath } from "./lean-media-path.ts";
import { ingestCounts } from "../../commands/telemetry/metrics.ts";
import { PrometheusRegistry } from "../metrics/prometheus-registry.ts";
import { serviceGauges } from "./service-metrics.ts";
import type { ReadinessChecks } from "./health.ts";
import { clientAddress } from "./client-address.ts";
import { rateLimits } from "./middleware/rate-limit.ts";
import { accessGuards, accountFeatures, type ServiceAuth, type WriteLimits } from "./access.ts";
import { optionalIdentityOf } from "../../commands/identity.ts";

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
  /** QoE reads (GET /v1/qoe/..., GET /v1/alerts); not mounted without them. */
  qoe?: { sketches: QuantileSketches; allowedLatenessSec: number; targetBitrateKbps: number };
  /** Hot leaderboards (Redis); without them, or when they are down, top-K reads the SQL aggregates. */
  leaderboards?: LeaderboardStore;
  /** Seconds a session must play to count as a view (default 10). */
  viewMinPlayedSec?: number;
  /** How long a top-K answer is reused (default 1 000 ms). */
  leaderboardCacheMs?: number;
  /** Accounts and access control; default AUTH_MODE=off (identity from X-User-Id, nothing enforced). */
  auth?: ServiceAuth;
  /** Per-user and per-address limits on every write; none: not limited. */
  writeLimits?: WriteLimits;
  /** Multi-device sync: accepted playback states are published here (Redis across processes). */
  pubsub?: PubSub;
  /** The runtime's WebSocket upgrade; with `pubsub` it serves GET /v1/me/sync. */
  upgradeWebSocket?: UpgradeWebSocket;
  /** Positions served from here with the read model behind (production profile: Redis). */
  positionsCache?: PositionsCache;
  /** CMCD decoding: POST /v1/cmcd and segmentCmcd() for media routes. */
  cmcdDecoder?: CmcdDecoder;
  /** Media delivery (playback, signed streams) and re-transcode; not mounted without it. */
  media?: Omit<MediaDeliveryDeps, "readModels">;
  /** Uploads; not mounted without them. */
  uploads?: UploadFeatureDeps;
  /** Where GET /metrics reads from (shared with adapters that count); default: a new registry. */
  metrics?: PrometheusRegistry;
  /** Bearer token GET /metrics requires; none: open to any scraper. */
  metricsToken?: string;
}

/** Who hears of accepted telemetry records: multi-device sync and the positions cache. */
function acceptedListeners(deps: ServiceDeps) {
  return allOf(
    deps.pubsub && publishPlaybackStates(deps.pubsub, deps.logger),
    deps.positionsCache && writeThroughPositions(deps.positionsCache, deps.logger),
  );
}

/** GET /v1/me/sync when both the pub/sub and a WebSocket-capable runtime are there. */
function deviceSyncFeatures(deps: ServiceDeps, auth: ServiceAuth) {
  if (!deps.pubsub || !deps.upgradeWebSocket) return [];
  const { pubsub, upgradeWebSocket, logger } = deps;
  const ended = auth.mode === "on" ? auth.endedSessions : undefined;
  const sessionSockets = ended && new SessionSockets({ pubsub, ended, logger });
  const routes = deviceSyncRoutes({ pubsub, upgradeWebSocket, logger, sessionSockets });
  return [{ path: "/me", app: routes }];
}

/** With a pub/sub, sessions' ends are announced to every process's sync sockets. */
function announcingSessionEnds(auth: ServiceAuth, deps: ServiceDeps): ServiceAuth {
  if (auth.mode === "off" || !auth.endedSessions || !deps.pubsub) return auth;
  return { ...auth, endedSessions: announcingEnds(auth.endedSessions, deps.pubsub, deps.logger) };
}

/** What every telemetry ingest route shares (POST /v1/events, POST /v1/cmcd, segment CMCD). */
function ingestDeps(deps: ServiceDeps) {
  return {
    log: deps.telemetry,
    recent: deps.recentKeys,
    maxEvents: deps.maxEventsPerBatch,
    countryHeader: deps.countryHeader,
    onAccepted: acceptedListeners(deps),
    counted: deps.metrics && ingestCounts(deps.metrics),
  };
}

/**
 * Middleware for media segment routes: the CMCD their requests carry becomes playback telemetry
 * (commands/cmcd/middleware.ts). `contentIdOf` names the route's content for players without `cid`.
 */
export function segmentCmcd(
  deps: ServiceDeps,
  contentIdOf?: (c: Context) => string | undefined,
): MiddlewareHandler | undefined {
  if (!deps.cmcdDecoder) return undefined;
  return cmcdTelemetry({
    ...ingestDeps(deps),
    decoder: deps.cmcdDecoder,
    logger: deps.logger,
    contentIdOf,
  });
}

/** POST /v1/cmcd, behind the ingest rate limits. */
function cmcdFeatures(deps: ServiceDeps) {
  if (!deps.cmcdDecoder) return [];
  const app = rateLimited(deps, cmcdRoutes({ ...ingestDeps(deps), decoder: deps.cmcdDecoder }));
  return [{ path: "/cmcd", app, bodyTypes: CMCD_BODY_TYPES }];
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
  return rateLimited(deps, telemetryRoutes(ingestDeps(deps)));
}

/** `routes` behind the ingest rate limits, per client address and per user, when configured. */
function rateLimited(deps: ServiceDeps, routes: Hono): Hono {
  const app = new Hono();
  if (deps.ingestLimits) {
    const { perUser, perAddress } = deps.ingestLimits;
    app.use(rateLimits([
      {
        limiter: perAddress,
        keyOf: (c) => clientAddress(c, deps.trustProxy ?? false),
        scope: "from this address",
      },
      { limiter: perUser, keyOf: (c) => optionalIdentityOf(c)?.userId, scope: "for this user" },
    ]));
  }
  return app.route("/", routes);
}

/** GET /v1/videos/:id/playback and .../stream/..., and the re-transcode command. */
function mediaFeatures(deps: ServiceDeps) {
  if (!deps.media) return [];
  // Signed URLs only for callers in a country the item may be played in; the CMCD that segment
  // requests carry becomes playback telemetry. (Registered as GET handlers that call next(), so the
  // route table lists them under the method they guard.)
  const guards = new Hono().get(
    "/:id/playback",
    playbackAccess({ sql: deps.readModels, countryHeader: deps.countryHeader }),
  );
  const cmcd = segmentCmcd(deps, (c) => c.req.param("id"));
  if (cmcd) guards.get("/:id/stream/*", cmcd);
  return [
    { path: "/videos", app: guards },
    { path: "/videos", app: mediaRoutes({ ...deps.media, readModels: deps.readModels }) },
    {
      path: "/videos",
      app: transcodeCommandRoutes({ store: deps.eventStore, retries: deps.commandRetries }),
    },
  ];
}

export function serviceApp(options: ServiceDeps): Hono {
  const metrics = options.metrics ?? new PrometheusRegistry(options.logger);
  const deps = { ...options, metrics };
  serviceGauges(metrics, deps, deps.qoe && qoeSettings(deps, deps.qoe));
  const commands = { store: deps.eventStore, retries: deps.commandRetries };
  const catalog = catalogQueryRoutes(deps.readModels);
  const analytics = analyticsRoutes({
    sql: deps.readModels,
    leaderboards: new Leaderboards({
      sql: deps.readModels,
      hot: deps.leaderboards,
      logger: deps.logger,
      cacheMs: deps.leaderboardCacheMs,
    }),
    minPlayedSec: deps.viewMinPlayedSec ?? 10,
  });
  const auth = announcingSessionEnds(deps.auth ?? { mode: "off" }, deps);
  const watchHistory = watchHistoryRoutes(
    deps.readModels,
    resumeRulesFrom(deps.resumeRules),
    deps.positionsCache,
  );
  const app = createApp({
    guards: accessGuards(auth, { writeLimits: deps.writeLimits, trustProxy: deps.trustProxy }),
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
    metrics: { registry: metrics, token: deps.metricsToken },
    features: [
      { path: "/videos", app: videoCommandRoutes(commands) },
      { path: "/videos", app: catalog.videos },
      { path: "/shows", app: showCommandRoutes(commands) },
      { path: "/shows", app: catalog.shows },
      { path: "/events", app: ingestApp(deps) },
      { path: "/projections", app: projectionRoutes(deps.projections) },
      {
        path: "/me",
        app: positionRoutes({ log: deps.telemetry, onAccepted: acceptedListeners(deps) }),
      },
      { path: "/me", app: watchHistory.me },
      { path: "/me", app: sessionRoutes(deps.readModels, deps.sessionHeartbeatSec ?? 10) },
      { path: "/shows", app: watchHistory.shows },
      ...(deps.search ? [{ path: "/search", app: searchRoutes(deps.search) }] : []),
      ...(deps.qoe ? [{ path: "/qoe", app: qoeApp(deps, deps.qoe) }] : []),
      ...(deps.qoe ? [{ path: "/alerts", app: alertRoutes(deps.readModels) }] : []),
      { path: "/analytics", app: analytics.analytics },
      { path: "/videos", app: analytics.videos },
      ...accountFeatures(auth, { ...commands, snapshots: new SqlSnapshotStore(deps.readModels) }),
      { path: "/videos", app: geoRestrictionRoutes(commands) },
      ...deviceSyncFeatures(deps, auth),
      ...cmcdFeatures(deps),
      ...mediaFeatures(deps),
    ],
  });
  // Signed media requests are answered ahead of the app's router and middleware.
  if (deps.media) {
    const { logger, cmcdDecoder } = deps;
    const lean = leanMediaPath({
      stream: deps.media,
      logger,
      metrics,
      cmcd: cmcdDecoder !== undefined,
    });
    app.fetch = withLeanMediaPath(app.fetch, lean);
    leanMediaPaths.set(app, lean);
  }
  return app;
}

const leanMediaPaths = new WeakMap<Hono, LeanMediaPath>();

/** The lean media path of an app with media, for the media port (media-listener.ts). */
export function leanMediaPathOf(app: Hono): LeanMediaPath | undefined {
  return leanMediaPaths.get(app);
}

/** GET /v1/qoe/...: a session is live until three heartbeats pass in silence (as GET /v1/me/sessions). */
function qoeApp(deps: ServiceDeps, qoe: NonNullable<ServiceDeps["qoe"]>): Hono {
  return qoeRoutes(qoeSettings(deps, qoe));
}

function qoeSettings(deps: ServiceDeps, qoe: NonNullable<ServiceDeps["qoe"]>): QoeReadSettings {
  const silence = silenceMs(deps.sessionHeartbeatSec ?? 10);
  return { sql: deps.readModels, ...qoe, silenceMs: silence };
}
