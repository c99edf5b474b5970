/** The Kafka telemetry log across a broker restart (stops the shared broker for ~15 s). */
import assert from "node:assert/strict";
import {
  type LoggedRecord,
  TelemetryLogUnavailableError,
} from "../../domain/ports/telemetry-log.ts";
import { deleteTopics, engine, waitFor } from "../testing/engines.ts";
import { integrationTest } from "../testing/integration.ts";
import { KafkaTelemetryLog } from "./telemetry-log.ts";

const run = crypto.randomUUID().slice(0, 8);
const name = "Kafka telemetry log survives a broker restart";
integrationTest({
  name,
  requires: ["KAFKA_BROKERS"],
  stopsSharedEngines: true,
  fn: survivesRestart,
});

/**
 * Consumption goes on across a broker restart with nothing lost or repeated; an append while the
 * broker is down fails as unavailable within its deadline, and appends work again once it is back.
 */
async function survivesRestart({ KAFKA_BROKERS }: { KAFKA_BROKERS: string }): Promise<void> {
  const brokers = KAFKA_BROKERS.split(",");
  const topic = `telemetry-test-${run}-restart`;
  const log = new KafkaTelemetryLog({ brokers, topic, partitions: 6, appendTimeoutMs: 5_000 });
  const checkpoints = new Map<number, string>();
  const consumed: LoggedRecord[] = [];
  const stop = new AbortController();
  let brokerDown = false;
  try {
    await appendNumbered(log, 0, 500);
    const consumer = (async () => {
      for await (
        const batch of log.consume({
          group: `${topic}-group`,
          startOffset: (partition) => Promise.resolve(checkpoints.get(partition)),
          max_batch: 50,
          signal: stop.signal,
        })
      ) {
        consumed.push(...batch.records);
        checkpoints.set(batch.partition, batch.next_offset);
      }
    })();
    await waitFor(() => consumed.length >= 500, 30_000, "the first 500 records");

    await engine("down", "kafka");
    brokerDown = true;
    const started = Date.now();
    await assert.rejects(
      log.append([{ key: "outage", value: { n: -1 } }]),
      TelemetryLogUnavailableError,
    );
    const rejectedAfter = Date.now() - started;
    assert.ok(rejectedAfter < 7_000, `append rejected after ${rejectedAfter} ms`);
    await engine("up", "kafka");
    brokerDown = false;

    // Appends succeed again once the broker is back (allow it a moment to elect leaders).
    await retryUntil(() => appendNumbered(log, 500, 100), 60_000);
    await appendNumbered(log, 600, 400);
    await log.ping();
    await waitFor(() => consumed.length >= 1000, 60_000, "the 500 records after the restart");
    stop.abort();
    await consumer;
    const numbers = consumed.map((r) => r.value.n as number).filter((n) => n >= 0);
    assert.deepEqual(
      numbers.toSorted((a, b) => a - b),
      Array.from({ length: 1000 }, (_, i) => i),
      "every record once",
    );
  } finally {
    stop.abort();
    if (brokerDown) await engine("up", "kafka");
    await log.close();
    await deleteTopics(brokers, [topic]);
  }
}

/** Runs of 30 records per key (packed messages; consumed in slices of 50 that end inside them). */
async function appendNumbered(log: KafkaTelemetryLog, from: number, count: number) {
  for (let start = from; start < from + count; start += 100) {
    await log.append(Array.from({ length: 100 }, (_, i) => ({
      key: `session-${Math.floor((start + i) / 30) % 40}`,
      value: { n: start + i },
    })));
  }
}

async function retryUntil(work: () => Promise<void>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (true) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof TelemetryLogUnavailableError) || Date.now() > deadline) throw error;
    }
  }
}
