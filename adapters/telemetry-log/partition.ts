/**
 * Which partition a record key belongs to, exactly as Kafka's default partitioner decides it
 * (Java client, librdkafka's murmur2_random, kafkajs's DefaultPartitioner): the positive part of
 * murmur2 over the key's UTF-8 bytes, modulo the partition count. The table-backed log uses it too,
 * so a session maps to the same partition number on both adapters.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const encoder = new TextEncoder();

/** The partition of `key` among `partitions` partitions. */
export function partitionFor(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`partition count must be a positive integer, got ${partitions}`);
  }
  // Java's Utils.toPositive: drop the sign bit (not Math.abs, which differs for negatives).
  return (murmur2(encoder.encode(key)) & 0x7fffffff) % partitions;
}

/** 32-bit murmur2 as in Kafka's Utils.murmur2, returned as a signed 32-bit integer like Java's. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const whole = length - (length & 3);
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= data[whole + 2]! << 16;
  if (rest >= 2) h ^= data[whole + 1]! << 8;
  if (rest >= 1) h = Math.imul(h ^ data[whole]!, M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}
