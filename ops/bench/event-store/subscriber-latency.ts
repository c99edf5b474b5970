/** The subscriber latency case: time from an append's commit to its subscribeToAll delivery. */
import type { PostgresEventStore } from "../../../adapters/postgres/event-store.ts";
import { percentile } from "../lib/statistics.ts";
import { secondsSince, sleep } from "../lib/timing.ts";
import type { Engine } from "./engine.ts";
import type { Options } from "./options.ts";
import type { LatencyFigures, ResultRow } from "./result.ts";
import { sampleEvent } from "./sample-event.ts";

const MAX_LATENCY_MS = 50;
const LATENCY_WARMUP_SAMPLES = 20;
const DELIVERY_TIMEOUT_MS = 10_000;

interface Sample {
  eventId: string;
  called: number;
  acknowledged: number;
}

/** Where the timed appends come from: the consumer's own store, or another client's. */
export interface Appender {
  store: PostgresEventStore;
  via: string;
}

export async function benchLatency(
  engine: Engine,
  runId: string,
  options: Options,
  appender: Appender,
): Promise<ResultRow> {
  const stream = `bench-${runId}-latency-${crypto.randomUUID().slice(0, 8)}`;
  const start = await appender.store.appendToStream(stream, [sampleEvent()]);
  const delivered = new Map<string, number>();
  const stop = new AbortController();
  const consumer = consume(engine.store, start.position, stop.signal, delivered);
  const startedAt = performance.now();
  let samples: Sample[];
  let seconds: number;
  try {
    samples = await appendSpaced(appender.store, stream, options);
    await waitForDeliveries(samples, delivered);
    seconds = secondsSince(startedAt);
  } finally {
    stop.abort();
    await consumer;
  }
  const latency = latencyFigures(samples.slice(LATENCY_WARMUP_SAMPLES), delivered);
  return {
    engine: engine.label,
    case: `subscriber latency, ${appender.via}`,
    appenders: 1,
    events: options.latencySamples,
    seconds,
    baselineSeconds: null,
    latency,
    target: `p99 ≤ ${MAX_LATENCY_MS} ms`,
    met: latency.p99 <= MAX_LATENCY_MS,
  };
}

async function consume(
  store: PostgresEventStore,
  after: string,
  signal: AbortSignal,
  delivered: Map<string, number>,
): Promise<void> {
  for await (const batch of store.subscribeToAll({ after, signal })) {
    const now = performance.now();
    for (const event of batch) delivered.set(event.event_id, now);
  }
}

/** Single-event appends to one stream, `latencySpacingMs` apart; the first few warm up. */
async function appendSpaced(
  store: PostgresEventStore,
  stream: string,
  { latencySamples, latencySpacingMs }: Options,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let index = 0; index < LATENCY_WARMUP_SAMPLES + latencySamples; index++) {
    const event = sampleEvent();
    const called = performance.now();
    await store.appendToStream(stream, [event]);
    samples.push({ eventId: event.event_id, called, acknowledged: performance.now() });
    await sleep(latencySpacingMs);
  }
  return samples;
}

async function waitForDeliveries(samples: Sample[], delivered: Map<string, number>): Promise<void> {
  const deadline = performance.now() + DELIVERY_TIMEOUT_MS;
  while (samples.some((sample) => !delivered.has(sample.eventId))) {
    if (performance.now() > deadline) {
      throw new Error(`events not delivered within ${DELIVERY_TIMEOUT_MS} ms`);
    }
    await sleep(5);
  }
}

function latencyFigures(samples: Sample[], delivered: Map<string, number>): LatencyFigures {
  const at = (sample: Sample) => delivered.get(sample.eventId)!;
  // Delivery can beat the acknowledgement (NOTIFY overtaking the reply): count that as 0.
  const fromAck = samples.map((sample) => Math.max(0, at(sample) - sample.acknowledged));
  const fromCall = samples.map((sample) => at(sample) - sample.called);
  return {
    p50: percentile(fromAck, 50),
    p99: percentile(fromAck, 99),
    callP50: percentile(fromCall, 50),
    callP99: percentile(fromCall, 99),
  };
}
