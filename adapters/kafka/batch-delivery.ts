/**
 * kafkajs's eachBatch side of consumption: a fetched batch's records (several per packed message,
 * see packing.ts) go to the consumer in slices through the hand-off, and a slice's offset is
 * resolved (and committed) only once the consumer applied it.
 */
import type { EachBatchPayload, KafkaMessage } from "kafkajs";
import type { LoggedRecord, TelemetryBatch } from "../../domain/ports/telemetry-log.ts";
import type { Handoff } from "./handoff.ts";
import type { PartitionPositions } from "./partition-positions.ts";
import {
  afterMessage,
  atMessageStart,
  messageOffset,
  recordOffset,
  recordOffsetText,
  unpack,
} from "./packing.ts";

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
  let records: LoggedRecord[];
  try {
    records = recordsFrom(batch.messages, topic, partition, from);
  } catch (error) {
    handoff.fail(error);
    return;
  }
  if (records.length === 0) {
    resolveOffset(batch.lastOffset());
    return;
  }
  const generation = positions.generation;
  for (let start = 0; start < records.length; start += maxBatch) {
    if (!isRunning() || isStale() || generation !== positions.generation) return;
    const slice = records.slice(start, start + maxBatch);
    const last = slice[slice.length - 1]!;
    const next = nextAfter(last, records[start + maxBatch]);
    const applied = handoff.offer({ partition, records: slice, next_offset: String(next) });
    const { taken, heartbeatError } = await waitHeartbeating(applied, heartbeat);
    if (!taken) return;
    positions.advance(partition, generation, next);
    // Kafka's committed offset (for lag monitoring) moves by whole messages only.
    if (atMessageStart(next)) resolveOffset(String(messageOffset(next) - 1n));
    // A rebalance began while the consumer worked: rejoin now that its batch is applied.
    if (heartbeatError) throw heartbeatError;
  }
}

/**
 * Where to resume after `last`: the next record of its message, or once its message is read
 * whole, the next message's first offset (so a consumer that read everything is at the log's end).
 */
function nextAfter(last: LoggedRecord, following: LoggedRecord | undefined): bigint {
  const offset = BigInt(last.offset);
  const message = messageOffset(offset);
  if (following && messageOffset(BigInt(following.offset)) === message) return offset + 1n;
  return afterMessage(message);
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

/**
 * The records the messages carry (see packing.ts) from offset `from` on, each with its own offset.
 * A loop rather than filters and maps: it runs for every record the projections read.
 */
function recordsFrom(
  messages: readonly KafkaMessage[],
  topic: string,
  partition: number,
  from: bigint,
): LoggedRecord[] {
  const fromMessage = messageOffset(from);
  // The records of the message `from` falls in that were read already.
  const skip = Number(from - recordOffset(fromMessage, 0));
  const records: LoggedRecord[] = [];
  // Records of one producer request share their timestamp: format each distinct one once.
  let lastTimestamp = "";
  let loggedAt = "";
  for (const message of messages) {
    const kafkaOffset = BigInt(message.offset);
    if (kafkaOffset < fromMessage) continue;
    const values = unpack(message.value ? utf8.decode(message.value) : "");
    if (!values) {
      throw new TypeError(
        `message ${message.offset} of ${topic} partition ${partition} holds no JSON object`,
      );
    }
    if (message.timestamp !== lastTimestamp) {
      lastTimestamp = message.timestamp;
      loggedAt = new Date(Number(message.timestamp)).toISOString();
    }
    const key = message.key ? utf8.decode(message.key) : "";
    for (let index = kafkaOffset === fromMessage ? skip : 0; index < values.length; index++) {
      const offset = recordOffsetText(message.offset, index);
      records.push({ key, value: values[index]!, partition, offset, logged_at: loggedAt });
    }
  }
  return records;
}
