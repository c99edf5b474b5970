/**
 * Events accepted per second by POST /v1/events over HTTP on 127.0.0.1: the HTTP shell and the
 * ingest route as the service mounts them (no rate limits), in front of a given telemetry log,
 * loaded by wrk in a process of its own (load.ts), with the CPU time the server and wrk spent.
 */
import type { Hono } from "hono";
import { telemetryRoutes } from "../../../commands/telemetry/routes.ts";
import type { TelemetryLog } from "../../../domain/ports/telemetry-log.ts";
import { createApp } from "../../../adapters/http/app.ts";
import { jsonLogger } from "../../../adapters/logging/json-logger.ts";
import { MemoryRecentKeys } from "../../../adapters/memory/recent-keys.ts";
import { cpuUsage } from "node:process";
import { runtime } from "../../../adapters/runtime/deno.ts";
import { generateLoad, type LoadOptions, type LoadResult } from "./load.ts";

export interface ThroughputResult extends LoadResult {
  /** CPU seconds the server's process used over the timed posts, when measured. */
  serverCpuSeconds?: number;
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
    let serverCpuSeconds = 0;
    const result = await generateLoad(
      `http://127.0.0.1:${server.port}/v1/events`,
      options,
      async (run) => {
        const before = cpuUsage();
        const ran = await run();
        const { user, system } = cpuUsage(before);
        serverCpuSeconds = (user + system) / 1e6;
        return ran;
      },
    );
    return { ...result, serverCpuSeconds };
  } finally {
    await server.shutdown();
  }
}
