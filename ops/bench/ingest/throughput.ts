/**
 * Events accepted per second by POST /v1/events over HTTP on 127.0.0.1: the HTTP shell and the
 * ingest route as the service mounts them (no rate limits), in front of a given telemetry log,
 * loaded by clients on a thread of their own (load-generator.ts).
 */
import type { Hono } from "hono";
import { telemetryRoutes } from "../../../commands/telemetry/routes.ts";
import type { TelemetryLog } from "../../../domain/ports/telemetry-log.ts";
import { createApp } from "../../../adapters/http/app.ts";
import { jsonLogger } from "../../../adapters/logging/json-logger.ts";
import { MemoryRecentKeys } from "../../../adapters/memory/recent-keys.ts";
import { runtime } from "../../../adapters/runtime/deno.ts";
import type { LoadRequest, LoadResult } from "./load-generator.ts";

export interface LoadOptions {
  batches: number;
  batchSize: number;
  clients: number;
}

export interface ThroughputResult {
  events: number;
  seconds: number;
  /** Request latencies, ms. */
  latencies: number[];
}

/** POST /v1/events as the service mounts it (no rate limits), in front of `log`. */
export function ingestApp(log: TelemetryLog, batchSize: number): Hono {
  return createApp({
    logger: jsonLogger("silent"),
    version: "bench",
    maxBodyBytes: 1 << 22,
    readiness: {},
    features: [{
      path: "/events",
      app: telemetryRoutes({ log, recent: new MemoryRecentKeys(), maxEvents: batchSize }),
    }],
  });
}

export async function ingestThroughput(
  log: TelemetryLog,
  options: LoadOptions,
): Promise<ThroughputResult> {
  const server = await runtime.serve(ingestApp(log, options.batchSize).fetch, {
    host: "127.0.0.1",
    port: 0,
  });
  try {
    return await generateLoad(`http://127.0.0.1:${server.port}/v1/events`, options);
  } finally {
    await server.shutdown();
  }
}

/** Runs the load generator against `url` and returns what it measured. */
export async function generateLoad(url: string, options: LoadOptions): Promise<ThroughputResult> {
  const generator = new Worker(new URL("./load-generator.ts", import.meta.url), { type: "module" });
  try {
    const request: LoadRequest = {
      url,
      batches: options.batches,
      batchSize: options.batchSize,
      clients: options.clients,
    };
    const done = new Promise<LoadResult>((resolve, reject) => {
      generator.onmessage = (message: MessageEvent<LoadResult>) => resolve(message.data);
      generator.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`load generator: ${event.message}`));
      };
    });
    generator.postMessage(request);
    const result = await done;
    if (!result.ok) throw new Error(`load generator: ${result.error}`);
    return { events: result.events, seconds: result.seconds, latencies: result.latencies };
  } finally {
    generator.terminate();
  }
}
