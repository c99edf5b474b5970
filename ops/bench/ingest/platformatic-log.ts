/**
 * The telemetry log's publish path through @platformatic/kafka instead of kafkajs, for the client
 * comparison in producer.ts (decision 0036). Bench code only: the adapter stays on kafkajs.
 *
 * Same as adapters/kafka: the packed messages of packing.ts, an idempotent producer (acks from every
 * in-sync replica), zstd at level 1 (the client's own zstd runs at the library's default level 3),
 * the Java-compatible murmur2 partitioner (kafkajs's DefaultPartitioner; the client's default one
 * places about half the keys elsewhere), sends one at a time through the adapter's SerialBatcher.
 *
 * What kafkajs cannot do: `lanes` serial batchers, a session's appends always in the same lane,
 * send at once over one connection that keeps up to `inflight` produce requests in flight.
 */
import { Buffer } from "node:buffer";
import zlib from "node:zlib";
import {
  Admin,
  compatibilityPartitioner,
  compressionsAlgorithms,
  type MessageToProduce,
  ProduceAcks,
  Producer,
  stringSerializers,
} from "@platformatic/kafka";
import { pack } from "../../../adapters/kafka/packing.ts";
import { SerialBatcher } from "../../../adapters/kafka/serial-batcher.ts";
import type { TelemetryCompression } from "../../../adapters/kafka/producer.ts";
import type { TelemetryRecord } from "../../../domain/ports/telemetry-log.ts";

/** The most request bytes one send carries, as adapters/kafka/producer.ts. */
const MAX_SEND_BYTES = 900 * 1024;

export interface PlatformaticLogConfig {
  brokers: readonly string[];
  topic: string;
  partitions: number;
  /** Serial batchers sending side by side (default 1: as the kafkajs adapter). */
  lanes?: number;
  /** Produce requests in flight per connection (default 1, the client's own for idempotence). */
  inflight?: number;
  /** Default zstd, as the adapter's. */
  compression?: TelemetryCompression;
}

type Message = MessageToProduce<string, string, string, string>;

/** zstd at level 1, as adapters/kafka/zstd-codec.ts gives kafkajs (decision 0031). */
const zstd = zlib as unknown as {
  zstdCompressSync(input: Buffer, options: { params: Record<number, number> }): Buffer;
  constants: { ZSTD_c_compressionLevel: number };
};
// The library's table is read-only in its typings only; the records batch hands in a Buffer.
(compressionsAlgorithms.zstd as { compressSync: (data: Buffer) => Buffer }).compressSync = (data) =>
  zstd.zstdCompressSync(data, { params: { [zstd.constants.ZSTD_c_compressionLevel]: 1 } });

export class PlatformaticTelemetryLog {
  readonly #config: PlatformaticLogConfig;
  readonly #producer: Producer<string, string, string, string>;
  readonly #lanes: SerialBatcher<Message>[];
  #created?: Promise<void>;

  constructor(config: PlatformaticLogConfig) {
    this.#config = config;
    this.#producer = new Producer(producerOptions(config));
    this.#lanes = Array.from({ length: config.lanes ?? 1 }, () =>
      new SerialBatcher<Message>(
        (messages) => this.#producer.send({ messages }).then(() => {}),
        { maxItems: 10_000, maxWeight: MAX_SEND_BYTES, weigh: (m) => m.value?.length ?? 0 },
      ));
  }

  /** The producer id in use (a new one after the client recovered from a lost sequence). */
  get producerId(): bigint | undefined {
    return this.#producer.producerId;
  }

  async append(records: readonly TelemetryRecord[]): Promise<void> {
    if (records.length === 0) return;
    await (this.#created ??= this.#createTopic());
    const topic = this.#config.topic;
    const messages = pack(records).map(({ key, value }) => ({ topic, key, value }) as Message);
    await this.#lanes[laneOf(records[0]!.key, this.#lanes.length)]!.add(messages);
  }

  async close(): Promise<void> {
    await this.#producer.close();
  }

  /** As adapters/kafka/topic.ts creates it: the broker's clock for timestamps. */
  async #createTopic(): Promise<void> {
    const admin = new Admin({
      clientId: "bench-producer",
      bootstrapBrokers: [...this.#config.brokers],
    });
    try {
      await admin.createTopics({
        topics: [this.#config.topic],
        partitions: this.#config.partitions,
        replicas: 1,
        configs: [{ name: "message.timestamp.type", value: "LogAppendTime" }],
      });
    } finally {
      await admin.close();
    }
  }
}

function producerOptions(
  { brokers, inflight = 1, compression = "zstd" }: PlatformaticLogConfig,
) {
  const options = {
    clientId: "bench-producer",
    bootstrapBrokers: [...brokers],
    idempotent: true,
    acks: ProduceAcks.ALL,
    compression,
    serializers: stringSerializers,
    partitioner: compatibilityPartitioner,
    // Bounded as the kafkajs adapter's (the client retries forever when idempotent otherwise).
    retries: 5,
    retryDelay: 300,
    timeout: 10_000,
    maxInflights: inflight,
  };
  // The constructor assigns maxInflights = 1 for an idempotent producer; the broker keeps the
  // last five batches per producer and partition, so up to five in flight keep order and dedup.
  Object.defineProperty(options, "maxInflights", {
    enumerable: true,
    get: () => inflight,
    set: () => {},
  });
  return options;
}

/** The same lane for every append of one session, so its records keep their order. */
function laneOf(key: string, lanes: number): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(hash) % lanes;
}
