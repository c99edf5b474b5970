/**
 * The benchmark's @platformatic/kafka publish path must write what the kafkajs adapter writes
 * (decision 0036): every message on the partition kafkajs's DefaultPartitioner gives its key (the
 * client's own default partitioner puts about half the keys elsewhere), each session's records in
 * append order, readable by kafkajs with the adapter's zstd codec, under one producer id.
 */
import assert from "node:assert/strict";
import { Kafka, logLevel, Partitioners } from "kafkajs";
import "../../../adapters/kafka/zstd-codec.ts";
import { unpack } from "../../../adapters/kafka/packing.ts";
import { integrationTest } from "../../../adapters/testing/integration.ts";
import type { TelemetryRecord } from "../../../domain/ports/telemetry-log.ts";
import { deleteKafkaLeftovers } from "../projections/kafka.ts";
import { PlatformaticTelemetryLog } from "./platformatic-log.ts";

const PARTITIONS = 6;

function records(session: string, from: number, count: number): TelemetryRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    key: session,
    value: { session_id: session, seq: from + i },
  }));
}

/** Per message read back: its partition, key and the seq of each record it carries. */
async function readBack(brokers: string[], topic: string, total: number) {
  const consumer = new Kafka({ brokers, logLevel: logLevel.NOTHING })
    .consumer({ groupId: `${topic}-check`, maxWaitTimeInMs: 200 });
  const read: { partition: number; key: string; seqs: number[] }[] = [];
  let count = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      consumer.run({
        eachBatch: ({ batch }) => {
          for (const message of batch.messages) {
            const values = unpack(message.value!.toString()) ?? [];
            read.push({
              partition: batch.partition,
              key: message.key!.toString(),
              seqs: values.map((value) => value.seq as number),
            });
            count += values.length;
          }
          if (count >= total) resolve();
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return read;
}

integrationTest({
  name: "platformatic publish path: kafkajs's partitions, append order, one producer id",
  requires: ["KAFKA_BROKERS"],
  fn: async ({ KAFKA_BROKERS }) => {
    const brokers = KAFKA_BROKERS.split(",");
    const topic = `test-platformatic-${crypto.randomUUID().slice(0, 8)}`;
    const log = new PlatformaticTelemetryLog({ brokers, topic, partitions: PARTITIONS });
    const sessions = Array.from({ length: 40 }, () => crypto.randomUUID());
    try {
      await log.append(records(crypto.randomUUID(), 0, 5)); // starts the producer
      const producerId = log.producerId;
      // Sessions side by side, each one's appends one after the other, as a player posts them.
      await Promise.all(sessions.map(async (session) => {
        await log.append(records(session, 0, 10));
        await log.append(records(session, 10, 10));
      }));
      assert.equal(log.producerId, producerId);

      const read = await readBack(brokers, topic, 5 + sessions.length * 20);
      const partitioner = Partitioners.DefaultPartitioner();
      // Keyed messages go by the partition count only; the rest of the metadata is not read.
      const partitionMetadata = Array.from(
        { length: PARTITIONS },
        (_, partitionId) => ({
          partitionId,
          leader: 0,
          partitionErrorCode: 0,
          replicas: [],
          isr: [],
        }),
      );
      for (const { partition, key } of read) {
        const expected = partitioner({ topic, partitionMetadata, message: { key, value: null } });
        assert.equal(partition, expected, `partition of ${key}`);
      }
      const inOrder = Array.from({ length: 20 }, (_, seq) => seq);
      for (const session of sessions) {
        const seqs = read.filter(({ key }) => key === session).flatMap(({ seqs }) => seqs);
        assert.deepEqual(seqs, inOrder, `records of ${session}`);
      }
    } finally {
      await log.close();
      await deleteKafkaLeftovers(brokers, topic, [`${topic}-check`]);
    }
  },
});
