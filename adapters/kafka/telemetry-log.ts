/**
 * The telemetry log port on Kafka, through kafkajs. Records are keyed by session id and spread by
 * Kafka's default (murmur2) partitioner, as Java clients and the table-backed log spread them.
 *
 * Consumers start each assigned partition at the projection's own checkpoint (`startOffset`), never
 * at the group's committed offset; offsets are still committed, for lag monitoring only.
 */
import {
  type Admin,
  CompressionTypes,
  type Consumer,
  type EachBatchPayload,
  Kafka,
  type KafkaMessage,
  type logCreator,
  logLevel,
  type Message,
  Partitioners,
  type Producer,
} from "kafkajs";
import type { Logger } from "../../domain/ports/logger.ts";
import {
  type ConsumeOptions,
  type LoggedRecord,
  type TelemetryBatch,
  type TelemetryLog,
  TelemetryLogUnavailableError,
  type TelemetryRecord,
} from "../../domain/ports/telemetry-log.ts";
import { SerialBatcher } from "./serial-batcher.ts";

export interface KafkaTelemetryLogConfig {
  brokers: readonly string[];
  /** Default "playback-telemetry". */
  topic?: string;
  /** Partitions of the topic when this log creates it (default 6). */
  partitions?: number;
  /** Default "streaming-backend". */
  clientId?: string;
  /** Replicas of the topic when this log creates it (default: the broker's default). */
  replicationFactor?: number;
  /** retention.ms of the topic when this log creates it (default 7 days, the seeds'). */
  retentionMs?: number;
  /** Longest an append waits for the broker before it fails as unavailable (default 10 s). */
  appendTimeoutMs?: number;
  /** Where kafkajs's own warnings and errors go (as warnings); none: they are dropped. */
  logger?: Logger;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MAX_BATCH = 500;
/** Heartbeats while a batch waits for the consumer, so a slow projection keeps its partitions. */
const HEARTBEAT_MS = 3_000;
const EARLIEST = "-2";
const CLOSE_WAIT_MS = 10_000;
const TOPIC_WAIT_ATTEMPTS = 50;

export class KafkaTelemetryLog implements TelemetryLog {
  readonly topic: string;
  readonly #kafka: Kafka;
  readonly #partitions: number;
  readonly #replicationFactor?: number;
  readonly #retentionMs: number;
  readonly #appendTimeoutMs: number;
  readonly #closing = new AbortController();
  readonly #consumers = new Set<Promise<void>>();
  #admin?: Promise<Admin>;
  #topicReady?: Promise<void>;
  #producer?: Promise<Producer>;
  readonly #sends = new SerialBatcher<Message>((messages) => this.#send(messages));

  constructor(config: KafkaTelemetryLogConfig) {
    this.topic = config.topic ?? "playback-telemetry";
    this.#partitions = config.partitions ?? 6;
    if (!Number.isInteger(this.#partitions) || this.#partitions < 1) {
      throw new RangeError(`partitions must be a positive integer, got ${this.#partitions}`);
    }
    this.#replicationFactor = config.replicationFactor;
    this.#retentionMs = config.retentionMs ?? 7 * DAY_MS;
    this.#appendTimeoutMs = config.appendTimeoutMs ?? 10_000;
    this.#kafka = new Kafka({
      clientId: config.clientId ?? "streaming-backend",
      brokers: [...config.brokers],
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      // Bounded: an unreachable broker surfaces as an error within seconds, not minutes.
      retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 5 },
      logLevel: config.logger ? logLevel.WARN : logLevel.NOTHING,
      logCreator: routeLogsTo(config.logger),
    });
  }

  /**
   * Resolves once every in-sync replica has the batch (acks -1). Concurrent appends share sends,
   * one at a time (see serial-batcher.ts).
   */
  async append(records: readonly TelemetryRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.#assertOpen();
    const messages = records.map((r) => ({ key: r.key, value: JSON.stringify(r.value) }));
    await withDeadline(this.#appendTimeoutMs, "no acknowledgement from Kafka", async () => {
      await this.#ensureTopic();
      await this.#sends.add(messages);
    }).catch(rethrowMapped);
  }

  async #send(messages: Message[]): Promise<void> {
    const producer = this.#producer ??= this.#connectProducer();
    let sending: Promise<unknown> | undefined;
    try {
      sending = (await producer).send({
        topic: this.topic,
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages,
      });
      await sending;
    } catch (error) {
      const down = unavailable(error);
      // The broker may have stored the batch while its answer was lost, and kafkajs rolls the
      // sequence numbers back: the next batch would reuse them and be dropped as a duplicate.
      // A new producer gets a new producer id, so nothing it sends is mistaken for a retry.
      if (down) this.#discardProducer(producer, sending);
      throw down ?? error;
    }
  }

  async *consume(options: ConsumeOptions): AsyncIterable<TelemetryBatch> {
    const maxBatch = options.max_batch ?? DEFAULT_MAX_BATCH;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new RangeError(`max_batch must be a positive integer, got ${maxBatch}`);
    }
    const signals = [this.#closing.signal, ...(options.signal ? [options.signal] : [])];
    const signal = AbortSignal.any(signals);
    if (signal.aborted) return;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => finished = resolve);
    this.#consumers.add(done);
    const handoff = new Handoff<TelemetryBatch>();
    const consumer = this.#kafka.consumer({
      groupId: options.group,
      allowAutoTopicCreation: false,
      // Short fetch waits: new records still arrive at once, and stopping is quick.
      maxWaitTimeInMs: 500,
      // After a broker restart the group still lists this consumer's old member id (kafkajs
      // rejoins under a new one), and the rebalance waits for that session to expire: a short
      // session resumes consumption in ~10 s rather than 30. Heartbeats go every 3 s.
      sessionTimeout: 10_000,
      heartbeatInterval: HEARTBEAT_MS,
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 5 },
    });
    try {
      await this.#ensureTopic().catch(rethrowMapped);
      const positions = new Positions(
        this.topic,
        consumer,
        options.startOffset,
        (error) => handoff.fail(error),
      );
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        positions.assign(payload.memberAssignment[this.topic] ?? []);
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        // kafkajs restarts after retriable errors by itself; anything else ends consumption.
        if (!payload.restart) handoff.fail(unavailable(payload.error) ?? payload.error);
      });
      await consumer.connect().catch(rethrowMapped);
      await consumer.subscribe({ topics: [this.topic], fromBeginning: true }).catch(rethrowMapped);
      await consumer.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => this.#deliver(payload, positions, handoff, maxBatch),
      });
      while (true) {
        // Asking for the next batch means the previous one is applied (and checkpointed).
        const batch = await handoff.take(signal);
        if (!batch) return;
        yield batch;
      }
    } finally {
      handoff.close();
      await consumer.disconnect().catch(() => {});
      this.#consumers.delete(done);
      finished();
    }
  }

  async partitionCount(): Promise<number> {
    try {
      await this.#ensureTopic();
      return await this.#topicPartitions();
    } catch (error) {
      throw unavailable(error) ?? error;
    }
  }

  async ping(): Promise<void> {
    this.#assertOpen();
    await withDeadline(Math.min(5_000, this.#appendTimeoutMs), "Kafka did not answer", async () => {
      await (await this.#connectedAdmin()).describeCluster();
    }).catch(rethrowMapped);
  }

  /** Ends running consumers, then disconnects the producer and the admin client. */
  async close(): Promise<void> {
    this.#closing.abort();
    // A consumer ends when it next asks for a batch; one that never asks again is not waited for.
    await settledWithin(Promise.all(this.#consumers), CLOSE_WAIT_MS);
    const producer = this.#producer;
    const admin = this.#admin;
    this.#producer = this.#admin = undefined;
    await Promise.all([
      producer?.then((p) => p.disconnect()).catch(() => {}),
      admin?.then((a) => a.disconnect()).catch(() => {}),
    ]);
  }

  /**
   * Hands out one slice of `max_batch` records at a time and waits, heartbeating, until the
   * consumer asks for the next one; only then is the slice's offset resolved (and committed).
   */
  async #deliver(
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
    positions: Positions,
    handoff: Handoff<TelemetryBatch>,
    maxBatch: number,
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
        records = messages.slice(start, start + maxBatch).map(toRecord(this.topic, partition));
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

  #connectProducer(): Promise<Producer> {
    const producer = this.#kafka.producer({
      idempotent: true,
      // kafkajs keeps one request in flight per broker for an idempotent producer anyway;
      // stated here because ordering per partition depends on it.
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      // Bounded (kafkajs defaults to endless retries when idempotent); see append for the reset.
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
  #discardProducer(producer: Promise<Producer>, sending?: Promise<unknown>): void {
    if (this.#producer === producer) this.#producer = undefined;
    const disconnect = () => producer.then((p) => p.disconnect()).catch(() => {});
    disconnect();
    sending?.then(disconnect, disconnect);
  }

  #connectedAdmin(): Promise<Admin> {
    return this.#admin ??= (async () => {
      const admin = this.#kafka.admin();
      try {
        await admin.connect();
        return admin;
      } catch (error) {
        this.#admin = undefined;
        throw error;
      }
    })();
  }

  /** Creates the topic on first use when it is missing (another process may create it first). */
  #ensureTopic(): Promise<void> {
    return this.#topicReady ??= (async () => {
      try {
        const admin = await this.#connectedAdmin();
        await admin.createTopics({
          // kafkajs's own wait gives up on "unknown topic", which a new topic may still be for a
          // moment; #topicPartitions below waits for the leaders and tolerates that.
          waitForLeaders: false,
          topics: [{
            topic: this.topic,
            numPartitions: this.#partitions,
            replicationFactor: this.#replicationFactor,
            configEntries: [
              // logged_at is when the broker stored the record, not the producer's clock.
              { name: "message.timestamp.type", value: "LogAppendTime" },
              { name: "retention.ms", value: String(this.#retentionMs) },
            ],
          }],
        }); // false when it exists already
        await this.#topicPartitions();
      } catch (error) {
        this.#topicReady = undefined;
        throw error;
      }
    })();
  }

  /**
   * The topic's partition count once every partition has a leader. Right after creation the
   * broker may still answer "unknown topic" (kafkajs's waitForLeaders gives up on that), so this
   * asks again for a few seconds.
   */
  async #topicPartitions(): Promise<number> {
    const admin = await this.#connectedAdmin();
    for (let attempt = 1;; attempt++) {
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [this.topic] });
        const partitions = topics[0]?.partitions ?? [];
        if (partitions.length > 0 && partitions.every((p) => p.leader >= 0)) {
          return partitions.length;
        }
      } catch (error) {
        if (unavailable(error) === undefined || attempt >= TOPIC_WAIT_ATTEMPTS) throw error;
      }
      if (attempt >= TOPIC_WAIT_ATTEMPTS) throw new Error(`topic ${this.topic} has no leaders`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  #assertOpen(): void {
    if (this.#closing.signal.aborted) throw new Error("the Kafka telemetry log is closed");
  }
}

/**
 * Where each assigned partition is read from. On every (re)assignment the partitions are paused,
 * positioned at the consumer's checkpoint (or the earliest offset), then resumed; batches of
 * partitions not positioned yet are dropped unresolved, and kafkajs fetches them again after the
 * seek.
 */
class Positions {
  generation = 0;
  readonly #next = new Map<number, bigint>();

  constructor(
    private readonly topic: string,
    private readonly consumer: Consumer,
    private readonly startOffset: ConsumeOptions["startOffset"],
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Called synchronously on GROUP_JOIN, before kafkajs fetches for the new assignment. */
  assign(partitions: readonly number[]): void {
    const generation = ++this.generation;
    this.#next.clear();
    if (partitions.length === 0) return;
    this.consumer.pause([{ topic: this.topic, partitions: [...partitions] }]);
    this.#seek(generation, partitions).catch(this.onError);
  }

  nextOffset(partition: number): bigint | undefined {
    return this.#next.get(partition);
  }

  advance(partition: number, generation: number, next: bigint): void {
    if (generation === this.generation) this.#next.set(partition, next);
  }

  async #seek(generation: number, partitions: readonly number[]): Promise<void> {
    const starts = await Promise.all(partitions.map((p) => this.startOffset(p)));
    if (generation !== this.generation) return; // reassigned meanwhile: that run positions
    partitions.forEach((partition, i) => {
      const start = starts[i];
      if (start !== undefined && !/^\d{1,19}$/.test(start)) {
        throw new RangeError(`"${start}" is not an offset (a non-negative decimal integer)`);
      }
      this.consumer.seek({ topic: this.topic, partition, offset: start ?? EARLIEST });
      this.#next.set(partition, BigInt(start ?? 0));
    });
    this.consumer.resume([{ topic: this.topic, partitions: [...partitions] }]);
  }
}

/**
 * A one-slot hand-over between kafkajs's eachBatch and the AsyncIterable: `offer` resolves true
 * once the consumer took the batch and asked for the next one, false if consumption ended first.
 */
class Handoff<T> {
  readonly #offered: { item: T; settle: (applied: boolean) => void }[] = [];
  #inHand?: (applied: boolean) => void;
  #wake?: () => void;
  #failure?: { error: unknown };
  #closed = false;

  offer(item: T): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((settle) => {
      this.#offered.push({ item, settle });
      this.#wake?.();
    });
  }

  /** The next batch, once offered; undefined when consumption ends. */
  async take(signal: AbortSignal): Promise<T | undefined> {
    this.#inHand?.(true);
    this.#inHand = undefined;
    while (!this.#closed && !signal.aborted) {
      if (this.#failure) throw this.#failure.error;
      const next = this.#offered.shift();
      if (next) {
        this.#inHand = next.settle;
        return next.item;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener("abort", wake);
          resolve();
        };
        this.#wake = wake;
        signal.addEventListener("abort", wake);
      });
      this.#wake = undefined;
    }
    return undefined;
  }

  fail(error: unknown): void {
    this.#failure ??= { error };
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#inHand?.(false);
    for (const { settle } of this.#offered.splice(0)) settle(false);
    this.#wake?.();
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

function toRecord(topic: string, partition: number) {
  return (message: KafkaMessage): LoggedRecord => {
    const text = message.value?.toString() ?? "";
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
    return {
      key: message.key?.toString() ?? "",
      value: value as LoggedRecord["value"],
      partition,
      offset: message.offset,
      logged_at: new Date(Number(message.timestamp)).toISOString(),
    };
  };
}

/** kafkajs's log lines go to our logger as warnings (it logs recoverable trouble as errors). */
function routeLogsTo(logger: Logger | undefined): logCreator {
  return () => ({ namespace, level, log }) => {
    if (!logger || level > logLevel.WARN) return;
    const { message, timestamp: _timestamp, ...fields } = log;
    // Appends reset the producer when a batch is in doubt (see append), which this warns about.
    if (message.startsWith("Limiting retries for the idempotent producer")) return;
    logger.warn(`kafka: ${message}`, { kafka_namespace: namespace, ...fields });
  };
}

const UNAVAILABLE_ERRORS = new Set([
  "KafkaJSNumberOfRetriesExceeded",
  "KafkaJSConnectionError",
  "KafkaJSConnectionClosedError",
  "KafkaJSRequestTimeoutError",
  "KafkaJSBrokerNotFound",
  "KafkaJSNoBrokerAvailableError",
  "KafkaJSMetadataNotLoaded",
  "KafkaJSTopicMetadataNotLoaded",
  "KafkaJSGroupCoordinatorNotFound",
  "KafkaJSTimeout",
  "KafkaJSLockTimeout",
]);

/**
 * The broker cannot take records now: kafkajs gave up retrying, could not connect, timed out, or
 * answered with a retriable error (no leader, not enough replicas). Anything else (a record too
 * large, a bad configuration) is not something a client should retry, and is not mapped.
 */
function unavailable(error: unknown): TelemetryLogUnavailableError | undefined {
  if (error instanceof TelemetryLogUnavailableError) return error;
  for (let e: unknown = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    const retriable = (e as { retriable?: unknown }).retriable === true;
    if (retriable || UNAVAILABLE_ERRORS.has(e.name)) {
      return new TelemetryLogUnavailableError(`Kafka unavailable: ${e.message}`, { cause: error });
    }
  }
  return undefined;
}

/** Waits for `work` at most `ms`. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise((resolve) => timer = setTimeout(resolve, ms))]);
  clearTimeout(timer);
}

function rethrowMapped(error: unknown): never {
  throw unavailable(error) ?? error;
}

/** Runs `work`, failing as unavailable if it has not finished within `ms` (it is not stopped). */
async function withDeadline(ms: number, what: string, work: () => Promise<void>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const running = work();
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TelemetryLogUnavailableError(`${what} within ${ms} ms`)),
      ms,
    );
  });
  try {
    await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
    running.catch(() => {}); // its outcome no longer matters once the deadline passed
  }
}
