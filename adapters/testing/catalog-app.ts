/** The catalog routes in the HTTP shell over an in-memory PGlite store, for `app.request()` tests. */
import type { Hono } from "hono";
import { showCommandRoutes } from "../../commands/catalog/show-routes.ts";
import { videoCommandRoutes } from "../../commands/catalog/video-routes.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import { createApp } from "../http/app.ts";
import { jsonLogger } from "../logging/json-logger.ts";
import { PostgresEventStore } from "../postgres/event-store.ts";
import { migrate } from "../postgres/migrate.ts";
import { migrations } from "../postgres/migrations/index.ts";
import { openPglite } from "../postgres/pglite-client.ts";

export interface TestApp {
  app: Hono;
  store: EventStore;
  /** Sends a JSON request and returns the status and parsed body. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<
    { status: number; body: Record<string, unknown>; headers: Headers }
  >;
}

let shared: Promise<EventStore> | undefined;

/**
 * One in-memory store for all tests of a test file: starting PGlite takes seconds, and tests use
 * fresh ids, so they do not see each other's streams.
 */
function sharedStore(): Promise<EventStore> {
  shared ??= (async () => {
    const sql = await openPglite();
    await migrate(sql, migrations);
    return await PostgresEventStore.open(sql);
  })();
  return shared;
}

export async function catalogTestApp(options: { maxBodyBytes?: number } = {}): Promise<TestApp> {
  const store = await sharedStore();
  const app = createApp({
    logger: jsonLogger("silent"),
    version: "test",
    maxBodyBytes: options.maxBodyBytes ?? 1 << 20,
    readiness: { event_store: () => store.ping() },
    features: [
      { path: "/videos", app: videoCommandRoutes({ store, retries: 3 }) },
      { path: "/shows", app: showCommandRoutes({ store, retries: 3 }) },
    ],
  });
  return {
    app,
    store,
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
