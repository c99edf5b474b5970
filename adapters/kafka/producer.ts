/**
 * The log's idempotent producer: connected on first send, replaced whenever a send ends in doubt.
 * Concurrent sends share requests, one at a time (see serial-batcher.ts).
 */
import { Buffer } from "node:buffer";
import { CompressionTypes, type Kafka, type Message, Partitioners, type Producer } from "kafkajs";
import { unavailable } from "./errors.ts";
import { SerialBatcher } from "./serial-batcher.ts";
import "./zstd-codec.ts";

export type TelemetryCompression = "zstd" | "gzip" | "none";

const CODECS: Record<TelemetryCompression, CompressionTypes> = {
  zstd: CompressionTypes.ZSTD,
  gzip: CompressionTypes.GZIP,
  none: CompressionTypes.None,
};

/**
 * Most bytes of message values in one send. Kafka refuses a partition's batch above ~1 MB
 * (message.max.bytes), and without compression a send could put all of it in one partition.
 */
const MAX_SEND_BYTES = 900 * 1024;

export class TelemetryProducer {
  #producer?: Promise<Producer>;
  readonly #sends = new SerialBatcher<Message>(
    (messages) => this.#send(messages),
    { maxItems: 10_000, maxWeight: MAX_SEND_BYTES, weigh: (message) => sizeOf(message.value) },
  );

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly compression: TelemetryCompression,
  ) {}

  /** Resolves once every in-sync replica has the messages (acks -1). */
  send(messages: readonly Message[]): Promise<void> {
    return this.#sends.add(messages);
  }

  async close(): Promise<void> {
    const producer = this.#producer;
    this.#producer = undefined;
    await producer?.then((p) => p.disconnect()).catch(() => {});
  }

  async #send(messages: Message[]): Promise<void> {
    const producer = this.#producer ??= this.#connect();
    let sending: Promise<unknown> | undefined;
    try {
      sending = (await producer).send({
        topic: this.topic,
        acks: -1,
        compression: CODECS[this.compression],
        messages,
      });
      await sending;
    } catch (error) {
      const down = unavailable(error);
      // The broker may have stored the batch while its answer was lost, and kafkajs rolls the
      // sequence numbers back: the next batch would reuse them and be dropped as a duplicate.
      // A new producer gets a new producer id, so nothing it sends is mistaken for a retry.
      if (down) this.#discard(producer, sending);
      throw down ?? error;
    }
  }

  #connect(): Promise<Producer> {
    const producer = this.kafka.producer({
      idempotent: true,
      // kafkajs keeps one request in flight per broker for an idempotent producer anyway;
      // stated here because ordering per partition depends on it.
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      // Bounded (kafkajs defaults to endless retries when idempotent); see #send for the reset.
      retry: { initialRetryTime: 300, maxRetryTime: 3_000, retries: 5 },
    });
    const connected = producer.connect().then(() => producer);
    connected.catch(() => {
      if (this.#producer === connected) this.#producer = undefined;
      producer.disconnect().catch(() => {});
    });
    return connected;
  }

  /** Disconnects it now, and again once a send still in flight ends (kafkajs may reconnect). */
  #discard(producer: Promise<Producer>, sending?: Promise<unknown>): void {
    if (this.#producer === producer) this.#producer = undefined;
    const disconnect = () => producer.then((p) => p.disconnect()).catch(() => {});
    disconnect();
    sending?.then(disconnect, disconnect);
  }
}

function sizeOf(value: Message["value"]): number {
  return typeof value === "string" ? Buffer.byteLength(value) : value?.length ?? 0;
}
