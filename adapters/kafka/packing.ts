/**
 * Packed Kafka messages (decision 0024): consecutive records with the same key (a player's batch is
 * one session's events) travel as ONE Kafka message whose value is the JSON array of their values,
 * so kafkajs encodes, partitions and sends one message per run instead of one per event. A message
 * whose value is a JSON object is one record (written before packing, or a run of one).
 *
 * Record offsets stay distinct and ascending: record i of the message at Kafka offset k has offset
 * k * RECORDS_PER_MESSAGE + i. A checkpoint may point inside a message (the records before it are
 * skipped on resume); after a message's last record the next offset is the next message's first.
 */
import type { Message } from "kafkajs";
import type { JsonObject } from "../../domain/ports/event-store.ts";
import type { TelemetryRecord } from "../../domain/ports/telemetry-log.ts";

/** Most records one message carries; also the offset stride of a Kafka message. */
export const RECORDS_PER_MESSAGE = 1000;
const STRIDE = BigInt(RECORDS_PER_MESSAGE);

/**
 * Above this many characters of JSON a run goes on in a new message: at most 768 KiB of UTF-8,
 * under the broker's 1 MB limit per partition's batch (message.max.bytes).
 */
export const MAX_PACKED_CHARS = 256 * 1024;

/** Record offset of record `index` of the Kafka message at `kafkaOffset`. */
export function recordOffset(kafkaOffset: bigint, index: number): bigint {
  return kafkaOffset * STRIDE + BigInt(index);
}

/**
 * `recordOffset` as decimal text, from the message's offset as kafkajs gives it (decimal text):
 * with a stride of 1000 that is the message offset followed by the index in three digits, with no
 * big-integer arithmetic per record.
 */
export function recordOffsetText(kafkaOffset: string, index: number): string {
  if (kafkaOffset === "0") return String(index);
  return kafkaOffset + (index < 10 ? "00" : index < 100 ? "0" : "") + index;
}

/** The Kafka message a record offset (or checkpoint) falls in. */
export function messageOffset(recordOffset: bigint): bigint {
  return recordOffset / STRIDE;
}

/** The record offset right after the Kafka message at `kafkaOffset`: the next one's first. */
export function afterMessage(kafkaOffset: bigint): bigint {
  return (kafkaOffset + 1n) * STRIDE;
}

/** Whether a checkpoint is a message boundary (everything before it has been read whole). */
export function atMessageStart(recordOffset: bigint): boolean {
  return recordOffset % STRIDE === 0n;
}

/** Kafka messages for `records`, in order: each run of one key packed in as few as fit. */
export function pack(records: readonly TelemetryRecord[]): Message[] {
  const messages: Message[] = [];
  for (let start = 0, end = 1; start < records.length; start = end++) {
    const key = records[start]!.key;
    while (end < records.length && records[end]!.key === key) end++;
    const run = records.slice(start, end);
    // Most runs (a player's batch) fit one message: one JSON.stringify for the run costs less
    // than one per record and a join.
    const whole = run.length <= RECORDS_PER_MESSAGE
      ? JSON.stringify(run.length === 1 ? run[0]!.value : run.map((record) => record.value))
      : undefined;
    if (whole !== undefined && whole.length <= MAX_PACKED_CHARS) {
      messages.push({ key, value: whole });
    } else messages.push(...split(key, run));
  }
  return messages;
}

/** A run of one key too long for one message, in as few messages as fit. */
function split(key: string, run: readonly TelemetryRecord[]): Message[] {
  const messages: Message[] = [];
  let values: string[] = [];
  let chars = 0;
  const flush = () => {
    if (values.length === 0) return;
    const value = values.length === 1 ? values[0]! : `[${values.join(",")}]`;
    messages.push({ key, value });
    values = [];
    chars = 0;
  };
  for (const record of run) {
    const json = JSON.stringify(record.value);
    if (values.length >= RECORDS_PER_MESSAGE || chars + json.length > MAX_PACKED_CHARS) flush();
    values.push(json);
    chars += json.length + 1;
  }
  flush();
  return messages;
}

/** The record values a message carries (undefined when its value is not packed JSON objects). */
export function unpack(text: string): JsonObject[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0 || !values.every(isObject)) return undefined;
  return values as JsonObject[];
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
