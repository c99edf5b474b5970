/**
 * Events accepted per second by POST /v1/events over HTTP on 127.0.0.1: the HTTP shell and the
 * ingest route as the service mounts them (no rate limits), in front of a given telemetry log.
 * Bodies are built before the clock starts, each event unique, so repeats never shortcut the log.
 */
import { telemetryRoutes } from "../../../commands/telemetry/routes.ts";
import type { TelemetryLog } from "../../../domain/ports/telemetry-log.ts";
import { createApp } from "../../../adapters/http/app.ts";
import { jsonLogger } from "../../../adapters/logging/json-logger.ts";
import { MemoryRecentKeys } from "../../../adapters/memory/recent-keys.ts";
import { runtime } from "../../../adapters/runtime/deno.ts";
import { playbackBatch } from "../../../adapters/testing/ingest-load.ts";
import { percentile } from "../lib/statistics.ts";
import { secondsSince } from "../lib/timing.ts";

export interface ThroughputResult {
  events: number;
  seconds: number;
  /** Request latencies, ms. */
  latencies: number[];
}

export async function ingestThroughput(
  log: TelemetryLog,
  options: { batches: number; batchSize: number; clients: number },
): Promise<ThroughputResult> {
  const app = createApp({
    logger: jsonLogger("silent"),
    version: "bench",
    maxBodyBytes: 1 << 22,
    readiness: {},
    features: [{
      path: "/events",
      app: telemetryRoutes({ log, recent: new MemoryRecentKeys(), maxEvents: options.batchSize }),
    }],
  });
  const server = await runtime.serve(app.fetch, { host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${server.port}/v1/events`;
  const bodies = (count: number) =>
    Array.from({ length: count }, () => JSON.stringify(playbackBatch(options.batchSize)));
  try {
    await send(url, bodies(Math.max(1, Math.ceil(options.batches / 10))), options.clients);
    const timed = bodies(options.batches);
    const started = performance.now();
    const { events, latencies } = await send(url, timed, options.clients);
    return { events, seconds: secondsSince(started), latencies };
  } finally {
    await server.shutdown();
  }
}

/** Sends every body from `clients` loops; counts the events of 202 answers. */
async function send(url: string, bodies: string[], clients: number) {
  let next = 0;
  let events = 0;
  const latencies: number[] = [];
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const started = performance.now();
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const answer = await response.json();
      latencies.push(performance.now() - started);
      if (response.status !== 202) {
        throw new Error(`POST /v1/events answered ${response.status}: ${JSON.stringify(answer)}`);
      }
      events += answer.accepted;
    }
  }));
  return { events, latencies };
}

export function p99(latencies: readonly number[]): number {
  return percentile(latencies, 99);
}
