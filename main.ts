/**
 * Composition root: configuration -> adapters -> app -> server. The only module that knows which
 * concrete adapters run; everything else receives them through ports.
 */
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import type { BlobStorage } from "./domain/ports/blob-storage.ts";
import type { EndedSessions } from "./domain/ports/ended-sessions.ts";
import type { EventStore } from "./domain/ports/event-store.ts";
import type { LeaderboardStore } from "./domain/ports/leaderboard.ts";
import type { Leases } from "./domain/ports/leases.ts";
import type { Logger } from "./domain/ports/logger.ts";
import type { PositionsCache } from "./domain/ports/positions-cache.ts";
import type { PubSub } from "./domain/ports/pubsub.ts";
import type { RateLimiter } from "./domain/ports/rate-limiter.ts";
import type { RecentKeys } from "./domain/ports/recent-keys.ts";
import type { SqlClient } from "./domain/ports/sql.ts";
import type { TelemetryLog } from "./domain/ports/telemetry-log.ts";
import {
  projections,
  projectionsWithSearchIndex,
  projectionsWithViews,
} from "./projections/index.ts";
import { ProjectionRuntime } from "./projections/runtime/runtime.ts";
import { type Config, ConfigError, loadConfig, type ProcessRole } from "./adapters/config/env.ts";
import { operationsApp } from "./adapters/http/operations-app.ts";
import type { ReadinessChecks } from "./adapters/http/health.ts";
import {
  leanMediaPathOf,
  serviceApp,
  type UploadFeatureDeps,
} from "./adapters/http/service-app.ts";
import { serveMediaListener } from "./adapters/http/media-listener.ts";
import { FsBlobStorage } from "./adapters/blob-storage/fs-blob-storage.ts";
import type { S3BlobStorageConfig } from "./adapters/blob-storage/s3-client.ts";
import { FfprobeMediaProbe } from "./adapters/ffmpeg/probe.ts";
import { blobSource } from "./adapters/ffmpeg/probe-source.ts";
import { fileDatastore, s3Datastore } from "./adapters/tus/datastores.ts";
import { TusUploads } from "./adapters/tus/tus-uploads.ts";
import { SharedLocker } from "./adapters/tus/shared-locker.ts";
import { ffmpegPath } from "./adapters/ffmpeg/binary.ts";
import { FfmpegTranscoder } from "./adapters/ffmpeg/transcoder.ts";
import { SecureLinkSigner } from "./adapters/media-signing/secure-link.ts";
import { TranscodeReactor } from "./commands/transcoding/reactor.ts";
import { jsonLogger } from "./adapters/logging/json-logger.ts";
import { surviveStrayNetworkErrors } from "./adapters/runtime/stray-network-errors.ts";
import { CmlCmcdDecoder } from "./adapters/cmcd/cml-cmcd-decoder.ts";
import { MemoryEndedSessions } from "./adapters/memory/ended-sessions.ts";
import { MemoryPubSub } from "./adapters/memory/pubsub.ts";
import { MemoryRateLimiter } from "./adapters/memory/rate-limiter.ts";
import { MemoryRecentKeys } from "./adapters/memory/recent-keys.ts";
import { PostgresEventStore } from "./adapters/postgres/event-store.ts";
import { migrate } from "./adapters/postgres/migrate.ts";
import { migrations } from "./adapters/postgres/migrations/index.ts";
import { openPglite } from "./adapters/postgres/pglite-client.ts";
import { connectPostgres } from "./adapters/postgres/postgres-js-client.ts";
import { READ_MODEL_APPLICATION } from "./adapters/postgres/sessions-without-events.ts";
import { SqlTelemetryLog } from "./adapters/postgres/telemetry-log.ts";
import { EmbeddedSearch } from "./adapters/search/embedded/embedded-search.ts";
import { ddSketches } from "./adapters/sketches/ddsketch.ts";
import { loadAlertRules } from "./adapters/config/alert-rules.ts";
import type { AlertRule } from "./domain/alerts/rules.ts";
import { alertWebhook } from "./adapters/webhook/alert-webhook.ts";
import { evaluateAlerts } from "./commands/alerts/evaluate.ts";
import { repeatEvery } from "./adapters/runtime/periodic.ts";
import { forgetExpired } from "./projections/retention.ts";
import { projectionsWithQoe } from "./projections/index.ts";
import type { Runtime } from "./adapters/runtime/server.ts";
import packageJson from "./package.json" with { type: "json" };
import type { RateLimits } from "./domain/ports/rate-limiter.ts";
import { ensureAdmin } from "./commands/accounts/bootstrap-admin.ts";
import { LOGIN_ADDRESS_LIMITS, LOGIN_LIMITS } from "./commands/accounts/login-throttle.ts";
import type { ServiceAuth } from "./adapters/http/access.ts";
import { argon2PasswordHasher } from "./adapters/auth/argon2-password-hasher.ts";
import { jwtAccessTokens } from "./adapters/auth/jwt-access-tokens.ts";
import { parseSigningKeys, storedSigningKey } from "./adapters/auth/signing-keys.ts";
import { parseKidSecretList } from "./adapters/config/kid-secret-list.ts";
import { PrometheusRegistry } from "./adapters/metrics/prometheus-registry.ts";
import type { Metrics } from "./domain/ports/metrics.ts";

interface Resources {
  eventStore: EventStore;
  readModels: SqlClient;
  telemetry: TelemetryLog;
  close: () => Promise<void>;
}

async function openResources(
  config: Config,
  logger: Logger,
  metrics: Metrics,
): Promise<Resources> {
  // A kind is one database: the server's two pools reach the same one, migrated by the first.
  const migrated = new Set<string>();
  const openSql = async (kind: "pglite" | "postgres", applicationName?: string) => {
    const sql = kind === "pglite" ? await openPglite(await dataDirFor("pglite")) : connectPostgres({
      url: config.POSTGRES_URL!,
      max: config.POSTGRES_POOL_SIZE,
      applicationName,
    });
    if (migrated.has(kind)) return sql;
    migrated.add(kind);
    const applied = await migrate(sql, migrations);
    if (applied.length) logger.info("migrated", { database: kind, versions: applied });
    return sql;
  };
  const dataDirFor = async (name: string) => {
    const dir = join(config.DATA_DIR, name);
    await mkdir(dir, { recursive: true });
    return dir;
  };
  // On a server, the read models have sessions of their own, named so that readers of the event
  // log need not wait for their transactions (sessions-without-events.ts). PGlite allows one opener
  // per directory: event store and read models share it when both use it.
  const readModels = await openSql(config.READ_MODELS, READ_MODEL_APPLICATION);
  const sql = config.EVENT_STORE === "pglite" && config.READ_MODELS === "pglite"
    ? readModels
    : config.EVENT_STORE === "eventstoredb"
    ? undefined
    : await openSql(config.EVENT_STORE);
  const eventStore = sql
    ? await PostgresEventStore.open(sql)
    : (await import("./adapters/eventstoredb/event-store.ts")).EventStoreDbEventStore.connect(
      config.EVENTSTORE_URL!,
    );
  // The embedded log lives beside the read models (one PGlite in the embedded profile). Engine
  // clients are imported only when configured, so the embedded profile starts without them.
  const telemetry = config.TELEMETRY_LOG === "kafka"
    ? new (await import("./adapters/kafka/telemetry-log.ts")).KafkaTelemetryLog({
      brokers: config.KAFKA_BROKERS!.split(","),
      topic: config.KAFKA_TOPIC,
      compression: config.KAFKA_COMPRESSION,
      partitions: config.TELEMETRY_PARTITIONS,
      logger,
      metrics,
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

interface SharedState {
  recentKeys: RecentKeys;
  ingestLimits: { perUser: RateLimiter; perAddress: RateLimiter };
  /** A token bucket per key under a policy: every write, and sign-in attempts. */
  limiter: (name: string, limits: RateLimits) => RateLimiter;
  readiness: ReadinessChecks;
  /** The hot leaderboards (Redis only). */
  leaderboards?: LeaderboardStore;
  /** Multi-device sync across API processes. */
  pubsub: PubSub;
  /** Production profile: positions served from Redis; embedded: from the read model only. */
  positionsCache?: PositionsCache;
  /** Leases across API processes (Redis only): tus upload locks. */
  leases?: Leases;
  /** Sign-in sessions ended while their access tokens live. */
  endedSessions: EndedSessions;
  close: () => Promise<void>;
}

/** Shared state across API processes: Redis when REDIS_URL is set, else this process's memory. */
async function openSharedState(config: Config, logger: Logger): Promise<SharedState> {
  const accessTtlMs = config.ACCESS_TOKEN_TTL_SEC * 1000;
  const perUser = {
    capacity: config.INGEST_BURST_PER_USER,
    refillPerSecond: config.INGEST_RATE_PER_USER,
  };
  const perAddress = {
    capacity: config.INGEST_BURST_PER_ADDRESS,
    refillPerSecond: config.INGEST_RATE_PER_ADDRESS,
  };
  if (!config.REDIS_URL) {
    return {
      recentKeys: new MemoryRecentKeys(),
      ingestLimits: {
        perUser: new MemoryRateLimiter(perUser),
        perAddress: new MemoryRateLimiter(perAddress),
      },
      limiter: (_name, limits) => new MemoryRateLimiter(limits),
      readiness: {},
      pubsub: new MemoryPubSub(logger),
      endedSessions: new MemoryEndedSessions(accessTtlMs),
      close: () => Promise.resolve(),
    };
  }
  const { closeRedis, connectRedis, pingRedis } = await import("./adapters/redis/client.ts");
  const { RedisRateLimiter } = await import("./adapters/redis/rate-limiter.ts");
  const { RedisRecentKeys } = await import("./adapters/redis/recent-keys.ts");
  const { RedisLeaderboardStore } = await import("./adapters/redis/leaderboard.ts");
  const { RedisPubSub } = await import("./adapters/redis/pubsub.ts");
  const { RedisPositionsCache } = await import("./adapters/redis/positions-cache.ts");
  const { RedisLeases } = await import("./adapters/redis/leases.ts");
  const { RedisEndedSessions } = await import("./adapters/redis/ended-sessions.ts");
  const redis = await connectRedis(config.REDIS_URL, {
    logger: logger.child({ component: "redis" }),
  });
  const prefix = config.REDIS_KEY_PREFIX;
  const pubsub = await RedisPubSub.open(redis, { prefix: `${prefix}sync:`, logger });
  return {
    recentKeys: new RedisRecentKeys(redis, { prefix: `${prefix}recent:` }),
    ingestLimits: {
      perUser: new RedisRateLimiter(redis, perUser, { prefix: `${prefix}rate:ingest-user:` }),
      perAddress: new RedisRateLimiter(redis, perAddress, {
        prefix: `${prefix}rate:ingest-address:`,
      }),
    },
    limiter: (name, limits) =>
      new RedisRateLimiter(redis, limits, { prefix: `${prefix}rate:${name}:` }),
    readiness: { redis: () => pingRedis(redis) },
    leaderboards: new RedisLeaderboardStore(redis, {
      prefix: `${prefix}boards:`,
      cacheMs: config.LEADERBOARD_CACHE_MS,
    }),
    pubsub,
    positionsCache: new RedisPositionsCache(redis, {
      prefix: `${prefix}positions:`,
      ttlMs: config.POSITIONS_CACHE_TTL_SEC * 1000,
    }),
    leases: new RedisLeases(redis, { prefix: `${prefix}lease:` }),
    endedSessions: new RedisEndedSessions(redis, {
      prefix: `${prefix}ended-session:`,
      ttlMs: accessTtlMs,
    }),
    close: async () => {
      await pubsub.close();
      await closeRedis(redis);
    },
  };
}

/** Search: the SQL projection embedded, or a Meilisearch index per projection generation. */
async function openSearch(config: Config, readModels: SqlClient) {
  if (config.SEARCH === "embedded") return { search: new EmbeddedSearch(readModels), projections };
  const { meilisearchClient } = await import("./adapters/search/meilisearch/client.ts");
  const { MeilisearchDocumentStore } = await import(
    "./adapters/search/meilisearch/document-store.ts"
  );
  const { MeilisearchSearch } = await import("./adapters/search/meilisearch/meilisearch-search.ts");
  const { searchIndexProjection } = await import("./projections/search/index/projection.ts");
  // A short timeout: an unreachable Meilisearch answers 503 on search quickly.
  const client = meilisearchClient({
    url: config.MEILISEARCH_URL!,
    apiKey: config.MEILISEARCH_API_KEY,
    timeoutMs: 5_000,
  });
  const store = new MeilisearchDocumentStore(client, config.MEILISEARCH_INDEX_PREFIX);
  const projection = searchIndexProjection(store);
  return {
    search: new MeilisearchSearch({ client, store, sql: readModels, projection: projection.name }),
    projections: projectionsWithSearchIndex(projection),
  };
}

/**
 * Accounts and access control. With auth on, the first start creates the admin and prints its
 * one-time setup password once (stderr, not the JSON log); AUTH_MODE=off is warned about.
 */
async function openAuth(
  config: Config,
  logger: Logger,
  store: EventStore,
  shared: SharedState,
): Promise<ServiceAuth> {
  if (config.AUTH_MODE === "off") {
    logger.warn(
      "AUTH_MODE=off: no sign-in, no access control; identity is whatever X-User-Id says",
      {
        hint: "for development and tests only",
      },
    );
    return { mode: "off" };
  }
  const hasher = argon2PasswordHasher();
  const keys = config.AUTH_SIGNING_KEYS
    ? parseSigningKeys(config.AUTH_SIGNING_KEYS)
    : await storedSigningKey(join(config.DATA_DIR, "auth"));
  const setupPassword = await ensureAdmin({ store, hasher }, config.ADMIN_EMAIL);
  if (setupPassword) {
    console.error(
      `\nFirst start: created the admin account ${config.ADMIN_EMAIL}.\n` +
        `One-time setup password (shown only now): ${setupPassword}\n` +
        `Sign in:  curl -s -X POST localhost:${config.PORT}/v1/auth/login -H 'content-type: application/json' ` +
        `-d '{"email":"${config.ADMIN_EMAIL}","password":"${setupPassword}","device_id":"setup"}'\n` +
        "Then change it: POST /v1/auth/password with the access token.\n",
    );
    logger.warn("created the admin account; its setup password was printed once", {
      email: config.ADMIN_EMAIL,
    });
  }
  return {
    mode: "on",
    tokens: jwtAccessTokens({ keys, ttlSec: config.ACCESS_TOKEN_TTL_SEC }),
    hasher,
    maxDevices: config.MAX_DEVICES_PER_ACCOUNT,
    refreshTtlSec: config.REFRESH_TOKEN_TTL_SEC,
    loginPerAccount: shared.limiter("login-account", LOGIN_LIMITS),
    loginPerAddress: shared.limiter("login-address", LOGIN_ADDRESS_LIMITS),
    endedSessions: shared.endedSessions,
    trustProxy: config.TRUST_PROXY,
  };
}

function s3Config(config: Config, bucket = config.S3_BUCKET!): S3BlobStorageConfig {
  return {
    endpoint: config.S3_ENDPOINT,
    publicEndpoint: config.S3_PUBLIC_ENDPOINT,
    region: config.S3_REGION,
    bucket,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  };
}

/** Blob storage for uploads and media: a directory under DATA_DIR, or an S3 bucket. */
async function openBlobStorage(config: Config): Promise<BlobStorage> {
  if (config.BLOB_STORAGE === "fs") return await FsBlobStorage.open(join(config.DATA_DIR, "blobs"));
  const { S3BlobStorage } = await import("./adapters/blob-storage/s3-blob-storage.ts");
  return new S3BlobStorage(s3Config(config));
}

/**
 * Simple and tus uploads; unfinished tus uploads live in DATA_DIR/tus or the upload bucket. Only
 * a process serving the API has the tus endpoint, and so its expiry sweeps. With Redis, an
 * upload's lock holds across API processes.
 */
async function openUploads(
  config: Config,
  storage: BlobStorage,
  logger: Logger,
  servesApi: boolean,
  shared: SharedState,
) {
  const deps: UploadFeatureDeps = {
    storage,
    probe: new FfprobeMediaProbe({ ffprobePath: config.FFPROBE_PATH, locate: blobSource(storage) }),
    maxBytes: config.UPLOAD_MAX_BYTES,
  };
  if (!servesApi) return { deps, stop: () => {} };
  const expiryMs = config.UPLOAD_EXPIRY_SEC * 1000;
  const spoolDir = join(config.DATA_DIR, "tus-spool");
  // Chunks awaiting their checksum when the process stopped are of no use any more.
  await rm(spoolDir, { recursive: true, force: true });
  await mkdir(spoolDir, { recursive: true });
  const datastore = config.BLOB_STORAGE === "s3"
    ? s3Datastore(s3Config(config, config.UPLOAD_S3_BUCKET ?? config.S3_BUCKET), expiryMs)
    : fileDatastore(join(config.DATA_DIR, "tus"), expiryMs);
  let tus: TusUploads | undefined;
  deps.resumable = (commands) => {
    tus = new TusUploads({
      datastore,
      path: "/v1/uploads",
      maxBytes: config.UPLOAD_RESUMABLE_MAX_BYTES,
      spoolDir,
      commands,
      logger: logger.child({ component: "tus" }),
      locker: shared.leases && new SharedLocker({ leases: shared.leases, pubsub: shared.pubsub }),
    });
    tus.startCleanup(config.UPLOAD_CLEANUP_INTERVAL_SEC * 1000);
    return tus.app();
  };
  return { deps, stop: () => tus?.stop() };
}

/** Media delivery, and the transcode reactor when this process transcodes (TRANSCODE_CONCURRENCY). */
function openMedia(
  config: Config,
  storage: BlobStorage,
  resources: Resources,
  logger: Logger,
  metrics: Metrics,
) {
  let keys = config.MEDIA_SIGNING_KEYS;
  if (!keys) {
    keys = `local:${crypto.randomUUID()}`;
    logger.warn(
      "MEDIA_SIGNING_KEYS is not set: media URLs use a random key and end with this process",
    );
  }
  const transcodes = config.TRANSCODE_CONCURRENCY > 0 &&
    config.PROCESS_ROLES.includes("transcoder");
  const reactor = !transcodes ? undefined : new TranscodeReactor({
    store: resources.eventStore,
    readModels: resources.readModels,
    storage,
    transcoder: new FfmpegTranscoder({ storage, ffmpeg: () => ffmpegPath(config.FFMPEG_PATH) }),
    logger: logger.child({ component: "transcoder" }),
    concurrency: config.TRANSCODE_CONCURRENCY,
    leaseMs: config.TRANSCODE_LEASE_SEC * 1000,
    segmentSec: config.TRANSCODE_SEGMENT_SEC,
    metrics,
  });
  reactor?.start();
  return {
    deps: {
      storage,
      signer: new SecureLinkSigner(parseKidSecretList(keys)),
      urlTtlSec: config.MEDIA_URL_TTL_SEC,
      delivery: config.MEDIA_DELIVERY,
    },
    stop: async () => await reactor?.stop(),
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
  let alertRules: AlertRule[];
  try {
    config = loadConfig(process.env);
    alertRules = await loadAlertRules(config.ALERT_RULES_FILE);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return platform.exit(2);
  }
  const logger = jsonLogger(config.LOG_LEVEL, { service: "streaming-backend" });
  surviveStrayNetworkErrors(logger);
  const metrics = new PrometheusRegistry(logger.child({ component: "metrics" }));
  // One image, several process kinds: PROCESS_ROLES says which parts run here (default all).
  const runs = (role: ProcessRole) => config.PROCESS_ROLES.includes(role);
  const resources = await openResources(config, logger, metrics);
  const shared = await openSharedState(config, logger);
  const searching = await openSearch(config, resources.readModels);
  // QoE runs beside whichever search index is configured.
  const qoe = { sketches: ddSketches(), allowedLatenessSec: config.QOE_ALLOWED_LATENESS_SEC };
  searching.projections = projectionsWithQoe(searching.projections, qoe);
  const auth = await openAuth(config, logger, resources.eventStore, shared);
  const serviceProjections = projectionsWithViews(
    searching.projections,
    { minPlayedSec: config.VIEW_MIN_PLAYED_SEC },
    shared.leaderboards,
  );
  const projectionRuntime = new ProjectionRuntime({
    sql: resources.readModels,
    store: resources.eventStore,
    telemetry: resources.telemetry,
    logger,
    projections: serviceProjections,
    onPoison: config.PROJECTION_ON_POISON,
    batchSize: config.PROJECTION_BATCH_SIZE,
    runsProjections: runs("projections"),
  });
  if (runs("projections")) await projectionRuntime.start();
  const alertLogger = logger.child({ component: "alerts" });
  const alertDeps = {
    store: resources.eventStore,
    sql: resources.readModels,
    ...qoe,
    rules: alertRules,
    targetBitrateKbps: config.QOE_TARGET_BITRATE_KBPS,
    notifier: config.ALERT_WEBHOOK_URL ? alertWebhook(config.ALERT_WEBHOOK_URL) : undefined,
    logger: alertLogger,
  };
  const alertReactor = runs("projections") && repeatEvery(
    "alert evaluation",
    () => evaluateAlerts(alertDeps),
    config.ALERT_EVALUATE_SEC * 1000,
    alertLogger,
  );
  const retentionOptions = {
    sql: resources.readModels,
    projections: serviceProjections,
    keepDays: config.READ_MODEL_RETENTION_DAYS,
    logger: logger.child({ component: "retention" }),
  };
  const retention = runs("projections") && repeatEvery(
    "read-model retention",
    () => forgetExpired(retentionOptions),
    config.RETENTION_SWEEP_INTERVAL_SEC * 1000,
    retentionOptions.logger,
  );
  const blobStorage = await openBlobStorage(config);
  const uploads = await openUploads(config, blobStorage, logger, runs("api"), shared);
  const media = openMedia(config, blobStorage, resources, logger, metrics);
  const app = serviceApp({
    eventStore: resources.eventStore,
    readModels: resources.readModels,
    telemetry: resources.telemetry,
    search: searching.search,
    recentKeys: shared.recentKeys,
    ingestLimits: shared.ingestLimits,
    auth,
    writeLimits: {
      perUser: shared.limiter("write-user", {
        capacity: config.WRITE_BURST_PER_USER,
        refillPerSecond: config.WRITE_RATE_PER_USER,
      }),
      perAddress: shared.limiter("write-address", {
        capacity: config.WRITE_BURST_PER_ADDRESS,
        refillPerSecond: config.WRITE_RATE_PER_ADDRESS,
      }),
    },
    trustProxy: config.TRUST_PROXY,
    pubsub: shared.pubsub,
    positionsCache: shared.positionsCache,
    cmcdDecoder: new CmlCmcdDecoder(),
    upgradeWebSocket: platform.upgradeWebSocket,
    readiness: { ...shared.readiness, blob_storage: () => blobStorage.ping() },
    maxEventsPerBatch: config.TELEMETRY_MAX_EVENTS,
    countryHeader: config.TRUSTED_COUNTRY_HEADER,
    sessionHeartbeatSec: config.SESSION_HEARTBEAT_SEC,
    resumeRules: {
      minPercent: config.RESUME_MIN_PERCENT,
      maxPercent: config.RESUME_MAX_PERCENT,
      minDurationSec: config.RESUME_MIN_DURATION_SEC,
    },
    projections: projectionRuntime,
    qoe: { ...qoe, targetBitrateKbps: config.QOE_TARGET_BITRATE_KBPS },
    leaderboards: shared.leaderboards,
    viewMinPlayedSec: config.VIEW_MIN_PLAYED_SEC,
    leaderboardCacheMs: config.LEADERBOARD_CACHE_MS,
    logger,
    version: packageJson.version,
    maxBodyBytes: config.MAX_BODY_BYTES,
    commandRetries: config.COMMAND_RETRIES,
    uploads: uploads.deps,
    media: media.deps,
    metrics,
    metricsToken: config.METRICS_TOKEN,
  });
  // Processes without the api role answer only health, readiness and metrics.
  const served = runs("api") ? app : operationsApp({
    logger,
    version: packageJson.version,
    readiness: {
      event_store: () => resources.eventStore.ping(),
      read_models: async () => void await resources.readModels.query("SELECT 1"),
      telemetry_log: () => resources.telemetry.ping(),
    },
    metrics,
    metricsToken: config.METRICS_TOKEN,
    projections: runs("projections") ? projectionRuntime : undefined,
  });
  const server = await platform.serve(served.fetch, { host: config.HOST, port: config.PORT });
  // MEDIA_PORT: signed media requests also answered by a small HTTP/1.1 server of their own.
  const lean = runs("api") ? leanMediaPathOf(app) : undefined;
  const mediaPort = config.MEDIA_PORT !== undefined && lean && platform.listen
    ? platform.listen({ host: config.HOST, port: config.MEDIA_PORT })
    : undefined;
  const mediaListener = mediaPort && lean &&
    serveMediaListener(mediaPort, { lean, app: app.fetch });
  if (config.MEDIA_PORT !== undefined && !mediaPort) {
    logger.warn("MEDIA_PORT is ignored: this process serves no media or runs on Node", {});
  }
  logger.info("listening", {
    url: `http://${config.HOST}:${server.port}`,
    media_url: mediaPort && `http://${config.HOST}:${mediaPort.port}`,
    event_store: config.EVENT_STORE,
    read_models: config.READ_MODELS,
    telemetry_log: config.TELEMETRY_LOG,
    search: config.SEARCH,
    auth: config.AUTH_MODE,
    blob_storage: config.BLOB_STORAGE,
    roles: config.PROCESS_ROLES,
    data_dir: config.EVENT_STORE === "pglite" ? config.DATA_DIR : undefined,
  });

  platform.onShutdownSignal(async (signal) => {
    logger.info("shutting down", { signal });
    const forced = setTimeout(() => {
      logger.error("shutdown timed out", { timeout_ms: config.SHUTDOWN_TIMEOUT_MS });
      platform.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    await server.shutdown();
    await mediaListener?.shutdown();
    if (alertReactor) await alertReactor.stop();
    if (retention) await retention.stop();
    await projectionRuntime.stop();
    uploads.stop();
    await media.stop();
    await blobStorage.close();
    await shared.close();
    await resources.close();
    clearTimeout(forced);
    logger.info("stopped");
    platform.exit(0);
  });
}

await main();
