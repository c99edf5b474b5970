/**
 * Position write to visible read: PUT /v1/me/positions/{id} answered 202, then GET of the same
 * position polled every millisecond until it shows the new value. In-process requests to the
 * whole service (app.request), so the figure is the data path: log, projection or cache, read.
 */
import type { Hono } from "hono";
import { sleep } from "../lib/timing.ts";

const SAMPLE_TIMEOUT_MS = 10_000;

/** Milliseconds from sending each PUT to the first GET that showed it. */
export async function putToVisibleLatencies(
  app: Hono,
  options: { samples: number; spacingMs: number },
): Promise<number[]> {
  const headers = { "x-user-id": `bench-${crypto.randomUUID()}` };
  const path = "/v1/me/positions/bench-item";
  const latencies: number[] = [];
  const warmUp = Math.max(1, Math.ceil(options.samples / 10));
  for (let sample = 1; sample <= warmUp + options.samples; sample++) {
    const started = performance.now();
    const put = await app.request(path, {
      method: "PUT",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ position_sec: sample, client_time: Date.now() }),
    });
    if (put.status !== 202) throw new Error(`PUT answered ${put.status}: ${await put.text()}`);
    await put.body?.cancel();
    while ((await positionSeen(app, path, headers)) !== sample) {
      if (performance.now() - started > SAMPLE_TIMEOUT_MS) {
        throw new Error(`position ${sample} not visible within ${SAMPLE_TIMEOUT_MS} ms`);
      }
      await sleep(1);
    }
    if (sample > warmUp) latencies.push(performance.now() - started);
    await sleep(options.spacingMs);
  }
  return latencies;
}

async function positionSeen(app: Hono, path: string, headers: Record<string, string>) {
  const response = await app.request(path, { headers });
  const body = await response.json();
  return response.status === 200 ? body.position_sec : undefined;
}
