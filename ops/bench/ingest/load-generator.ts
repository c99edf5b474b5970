/**
 * The ingest benchmark's load generator, run as a Worker (its own thread and V8 isolate), so the
 * clients do not share the server's event loop: closer to real use, where players are elsewhere.
 * Given a URL, it builds its bodies (each event unique) before the clock starts, sends a tenth as
 * many to warm up, then the timed ones from several clients, and posts back what got a 202.
 */
/// <reference lib="deno.worker" />
import { playbackBatch } from "../../../adapters/testing/ingest-load.ts";

export interface LoadRequest {
  url: string;
  batches: number;
  batchSize: number;
  clients: number;
}

export type LoadResult =
  | { ok: true; events: number; seconds: number; latencies: number[] }
  | { ok: false; error: string };

async function generate(request: LoadRequest): Promise<LoadResult> {
  const bodies = (count: number) =>
    Array.from({ length: count }, () => JSON.stringify(playbackBatch(request.batchSize)));
  await send(request.url, bodies(Math.max(1, Math.ceil(request.batches / 10))), request.clients);
  const timed = bodies(request.batches);
  const started = performance.now();
  const { events, latencies } = await send(request.url, timed, request.clients);
  return { ok: true, events, seconds: (performance.now() - started) / 1000, latencies };
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

self.onmessage = async (message: MessageEvent<LoadRequest>) => {
  const result = await generate(message.data).catch((error): LoadResult => ({
    ok: false,
    error: String(error?.stack ?? error),
  }));
  self.postMessage(result);
};
