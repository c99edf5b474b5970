/**
 * kafkajs's eachBatch side of consumption: a fetched batch goes to the consumer in slices through
 * the hand-off, and a slice's offset is resolved (and committed) only once the consumer applied it.
 */
import type { EachBatchPayload, KafkaMessage } from "kafkajs";
import type { LoggedRecord, TelemetryBatch } from "../../domain/ports/telemetry-log.ts";
import type { Handoff } from "./handoff.ts";
import type { PartitionPositions } from "./partition-positions.ts";

/** Heartbeats while a batch waits for the consumer, so a slow projection keeps its partitions. */
export const HEARTBEAT_MS = 3_000;

export interface Delivery {
  topic: string;
  positions: PartitionPositions;
  handoff: Handoff<TelemetryBatch>;
  maxBatch: number;
}

/**
 * Hands out one slice of `maxBatch` records at a time and waits, heartbeating, until the
 * consumer asks for the next one; only then is the slice's offset resolved (and committed).
 */
export async function deliverBatch(
  { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
  { topic, positions, handoff, maxBatch }: Delivery,
): Promise<void> {
  const { partition } = batch;
  const from = positions.nextOffset(partition);
  if (from === undefined) return; // not positioned yet: fetched before the seek took effect
  const messages = batch.messages.filter((message) => BigInt(message.offset) >= from);
  if (messages.length === 0) {
    resolveOffset(batch.lastOffset());
    return;
  }
  const generation = positions.generation;
  for (let start = 0; start < messages.length; start += maxBatch) {
    if (!isRunning() || isStale() || generation !== positions.generation) return;
    let records: LoggedRecord[];
    try {
      records = messages.slice(start, start + maxBatch).map(toRecord(topic, partition));
    } catch (error) {
      handoff.fail(error);
      return;
    }
    const last = records[records.length - 1]!.offset;
    const next = String(BigInt(last) + 1n);
    const applied = handoff.offer({ partition, records, next_offset: next });
    const { taken, heartbeatError } = await waitHeartbeating(applied, heartbeat);
    if (!taken) return;
    positions.advance(partition, generation, BigInt(next));
    resolveOffset(last);
    // A rebalance began while the consumer worked: rejoin now that its batch is applied.
    if (heartbeatError) throw heartbeatError;
  }
}

async function waitHeartbeating(
  applied: Promise<boolean>,
  heartbeat: () => Promise<void>,
): Promise<{ taken: boolean; heartbeatError?: unknown }> {
  let heartbeatError: unknown;
  while (true) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = new Promise<"tick">((resolve) =>
      timer = setTimeout(resolve, HEARTBEAT_MS, "tick")
    );
    const outcome = await Promise.race([applied, tick]);
    clearTimeout(timer);
    if (outcome !== "tick") return { taken: outcome, heartbeatError };
    if (heartbeatError === undefined) await heartbeat().catch((error) => heartbeatError = error);
  }
}

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

function toRecord(topic: string, partition: number) {
  // Records of one producer request share their timestamp: format each distinct one once.
  let lastTimestamp = "";
  let lastLoggedAt = "";
  return (message: KafkaMessage): LoggedRecord => {
    const text = message.value ? utf8.decode(message.value) : "";
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new TypeError(
        `record ${message.offset} of ${topic} partition ${partition} is not a JSON object`,
      );
    }
    if (message.timestamp !== lastTimestamp) {
      lastTimestamp = message.timestamp;
      lastLoggedAt = new Date(Number(message.timestamp)).toISOString();
    }
    return {
      key: message.key ? utf8.decode(message.key) : "",
      value: value as LoggedRecord["value"],
      partition,
      offset: message.offset,
      logged_at: lastLoggedAt,
    };
  };
}
