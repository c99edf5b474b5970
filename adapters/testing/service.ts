/**
 * The whole service over an in-memory PGlite (event store and read models) with its projections
 * running, for `app.request()` tests. One per test file: starting PGlite takes seconds, and tests
 * use fresh ids, so they do not see each other's data.
 */
import type { Hono } from "hono";
import type { UpgradeWebSocket } from "hono/ws";
import type { PositionsCache } from "../../domain/ports/positions-cache.ts";
import type { PubSub } from "../../domain/ports/pubsub.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import type { SearchPort } from "../../domain/ports/search.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";
import type { TelemetryLog } from "../../domain/ports/telemetry-log.ts";
import { projections, projectionsWithQoe } from "../../projections/index.ts";
import { ProjectionRuntime } from "../../projections/runtime/runtime.ts";
import type { ServiceAuth, WriteLimits } from "../http/access.ts";
import { serviceApp, type ServiceDeps, type UploadFeatureDeps } from "../http/service-app.ts";
import { jsonLogger } from "../logging/json-logger.ts";
import { MemoryRecentKeys } from "../memory/recent-keys.ts";
import { PostgresEventStore } from "../postgres/event-store.ts";
import { migrate } from "../postgres/migrate.ts";
import { migrations } from "../postgres/migrations/index.ts";
import { openPglite } from "../postgres/pglite-client.ts";
import { SqlTelemetryLog } from "../postgres/telemetry-log.ts";
import { CmlCmcdDecoder } from "../cmcd/cml-cmcd-decoder.ts";
import { EmbeddedSearch } from "../search/embedded/embedded-search.ts";
import { ddSketches } from "../sketches/ddsketch.ts";

const qoe = { sketches: ddSketches(), allowedLatenessSec: 60 };

export interface TestService {
  app: Hono;
  store: EventStore;
  sql: SqlClient;
  telemetry: TelemetryLog;
  runtime: ProjectionRuntime;
  /** Sends a JSON request and returns the status, parsed body and headers. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<
    { status: number; body: Record<string, unknown>; headers: Headers }
  >;
  /** Resolves once every live projection has applied every stored event. */
  settled(): Promise<void>;
}

let shared: Promise<Omit<TestService, "app" | "call">> | undefined;

function sharedBackend() {
  shared ??= (async () => {
    const sql = await openPglite();
    await migrate(sql, migrations);
    const store = await PostgresEventStore.open(sql);
    const telemetry = await SqlTelemetryLog.open(sql);
    const logger = jsonLogger("silent");
    const runtime = new ProjectionRuntime({
      sql,
      store,
      telemetry,
      logger,
      projections: projectionsWithQoe(projections, qoe),
      tickMs: 100,
    });
    await runtime.start();
    return { store, sql, telemetry, runtime, settled: () => settled(runtime) };
  })();
  return shared;
}

export async function testService(
  // `search` replaces the embedded search (kept by the running projections), e.g. for outages.
  // `auth` defaults to AUTH_MODE=off, so callers name themselves with X-User-Id (see auth.ts).
  options: {
    maxBodyBytes?: number;
    maxEventsPerBatch?: number;
    /** The players' heartbeat interval (default 10 s): sessions silent for three are not live. */
    sessionHeartbeatSec?: number;
    search?: SearchPort;
    auth?: ServiceAuth;
    writeLimits?: WriteLimits;
    /** Multi-device sync (GET /v1/me/sync needs both). */
    pubsub?: PubSub;
    upgradeWebSocket?: UpgradeWebSocket;
    positionsCache?: PositionsCache;
    uploads?: UploadFeatureDeps;
    media?: ServiceDeps["media"];
  } = {},
): Promise<TestService> {
  const backend = await sharedBackend();
  const app = serviceApp({
    eventStore: backend.store,
    readModels: backend.sql,
    telemetry: backend.telemetry,
    recentKeys: new MemoryRecentKeys(),
    maxEventsPerBatch: options.maxEventsPerBatch ?? 100,
    sessionHeartbeatSec: options.sessionHeartbeatSec,
    countryHeader: "cf-ipcountry",
    projections: backend.runtime,
    logger: jsonLogger("silent"),
    version: "test",
    maxBodyBytes: options.maxBodyBytes ?? 1 << 20,
    commandRetries: 3,
    search: options.search ?? new EmbeddedSearch(backend.sql),
    qoe: { ...qoe, targetBitrateKbps: 5_000 },
    auth: options.auth ?? { mode: "off" },
    writeLimits: options.writeLimits,
    pubsub: options.pubsub,
    upgradeWebSocket: options.upgradeWebSocket,
    positionsCache: options.positionsCache,
    cmcdDecoder: new CmlCmcdDecoder(),
    media: options.media,
    uploads: options.uploads,
  });
  return {
    ...backend,
    app,
    async call(method, path, body, headers = {}) {
      const response = await app.request(path, {
        method,
        headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? JSON.parse(text) : {},
        headers: response.headers,
      };
    },
  };
}

async function settled(runtime: ProjectionRuntime, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const states = await runtime.status();
    const live = states.flatMap((p) => p.generations.filter((g) => g.status === "live"));
    if (live.every((g) => g.events_behind === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`projections did not catch up within ${timeoutMs} ms`);
}
