/**
 * The telemetry log port on Kafka, through kafkajs. Records are keyed by session id and spread by
 * Kafka's default (murmur2) partitioner, as Java clients and the table-backed log spread them.
 * Consecutive records of one key travel as one Kafka message (packing.ts, decision 0024).
 *
 * Consumers start each assigned partition at the projection's own checkpoint (`startOffset`), never
 * at the group's committed offset; offsets are still committed, for lag monitoring only.
 *
 * The parts: producer.ts sends appends, topic.ts creates and describes the topic, and consumption
 * runs through partition-positions.ts (where each partition starts), batch-delivery.ts (kafkajs's
 * eachBatch) and handoff.ts (to the AsyncIterable); errors.ts says what counts as unavailable.
 */
import { Kafka, logLevel } from "kafkajs";
import type { Logger } from "../../domain/ports/logger.ts";
import type { Counter, Metrics } from "../../domain/ports/metrics.ts";
import type {
  ConsumeOptions,
  TelemetryBatch,
  TelemetryLog,
  TelemetryRecord,
} from "../../domain/ports/telemetry-log.ts";
import { deliverBatch, HEARTBEAT_MS } from "./batch-delivery.ts";
import { rethrowMapped, settledWithin, unavailable, withDeadline } from "./errors.ts";
import { Handoff } from "./handoff.ts";
import { routeLogsTo } from "./logging.ts";
import { PartitionPositions } from "./partition-positions.ts";
import { pack, recordOffset } from "./packing.ts";
import { type TelemetryCompression, TelemetryProducer } from "./producer.ts";
import { TelemetryTopic } from "./topic.ts";

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
  /** Counts failed appends (kafka_producer_errors_total) for /metrics. */
  metrics?: Metrics;
  /**
   * Compression of produced batches: "zstd" (default; level 1, decision 0031), "gzip" (kafkajs's,
   * level 6: more CPU for fewer bytes saved), "none" (more bytes for the broker to handle).
   */
  compression?: TelemetryCompression;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MAX_BATCH = 500;
const CLOSE_WAIT_MS = 10_000;
const COMMIT_INTERVAL_MS = 5_000;

export class KafkaTelemetryLog implements TelemetryLog {
  readonly topic: string;
  readonly #kafka: Kafka;
  readonly #appendTimeoutMs: number;
  readonly #closing = new AbortController();
  readonly #consumers = new Set<Promise<void>>();
  readonly #topic: TelemetryTopic;
  readonly #producer: TelemetryProducer;
  readonly #producerErrors?: Counter;

  constructor(config: KafkaTelemetryLogConfig) {
    this.topic = config.topic ?? "playback-telemetry";
    const partitions = config.partitions ?? 6;
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
    }
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
    this.#topic = new TelemetryTopic(this.#kafka, {
      name: this.topic,
      partitions,
      replicationFactor: config.replicationFactor,
      retentionMs: config.retentionMs ?? 7 * DAY_MS,
    });
    this.#producer = new TelemetryProducer(this.#kafka, this.topic, config.compression ?? "zstd");
    this.#producerErrors = config.metrics?.counter({
      name: "kafka_producer_errors_total",
      help: "Telemetry appends Kafka did not acknowledge, by kind (unavailable: retriable, other)",
    });
  }

  /**
   * Resolves once every in-sync replica has the batch (acks -1). Concurrent appends share sends,
   * one at a time (see producer.ts).
   */
  async append(records: readonly TelemetryRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.#assertOpen();
    const messages = pack(records);
    await withDeadline(this.#appendTimeoutMs, "no acknowledgement from Kafka", async () => {
      await this.#topic.ensure();
      await this.#producer.send(messages);
    }).catch((error) => {
      this.#producerErrors?.inc({ kind: unavailable(error) ? "unavailable" : "other" });
      return rethrowMapped(error);
    });
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
      // A group belongs to this log: the same projection over another topic of the same cluster
      // (another deployment, say) must not share its members and partitions.
      groupId: kafkaGroupId(this.topic, options.group),
      allowAutoTopicCreation: false,
      // Short fetch waits: new records still arrive at once, and stopping is quick.
      maxWaitTimeInMs: 500,
      // After a broker restart the group still lists this consumer's old member id (kafkajs
      // rejoins under a new one), and the rebalance waits for that session to expire: a short
      // session resumes consumption in ~10 s rather than 30. Heartbeats go every 3 s.
      sessionTimeout: 10_000,
      heartbeatInterval: HEARTBEAT_MS,
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 5 },
      // A fetch brings up to 4 MiB of a partition (kafkajs's default is 1 MiB, about 2,000
      // telemetry records): enough for batches of several thousand records. 10 MiB in all.
      maxBytesPerPartition: 4 * 1024 * 1024,
    });
    try {
      await this.#topic.ensure().catch(rethrowMapped);
      const positions = new PartitionPositions(
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
      const delivery = { topic: this.topic, positions, handoff, maxBatch };
      await consumer.run({
        autoCommit: true,
        // The group's offsets serve lag monitoring only: committed every few seconds, not after
        // every partition's batch (a request per batch was a visible share of a consumer's CPU).
        autoCommitInterval: COMMIT_INTERVAL_MS,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => deliverBatch(payload, delivery),
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
      await this.#topic.ensure();
      return await this.#topic.partitionCount();
    } catch (error) {
      throw unavailable(error) ?? error;
    }
  }

  /**
   * Per partition, the offset the first record of the next message will get (from the high
   * watermark; creating the topic if it is missing).
   */
  async endOffsets(): Promise<Map<number, string>> {
    try {
      await this.#topic.ensure();
      const watermarks = await this.#topic.endOffsets();
      return new Map(
        [...watermarks].map(([p, high]) => [p, String(recordOffset(BigInt(high), 0))]),
      );
    } catch (error) {
      throw unavailable(error) ?? error;
    }
  }

  async ping(): Promise<void> {
    this.#assertOpen();
    await withDeadline(
      Math.min(5_000, this.#appendTimeoutMs),
      "Kafka did not answer",
      () => this.#topic.ping(),
    ).catch(rethrowMapped);
  }

  /** Ends running consumers, then disconnects the producer and the admin client. */
  async close(): Promise<void> {
    this.#closing.abort();
    // A consumer ends when it next asks for a batch; one that never asks again is not waited for.
    await settledWithin(Promise.all(this.#consumers), CLOSE_WAIT_MS);
    await Promise.all([this.#producer.close(), this.#topic.close()]);
  }

  #assertOpen(): void {
    if (this.#closing.signal.aborted) throw new Error("the Kafka telemetry log is closed");
  }
}

/** The Kafka consumer group that a TelemetryLog group is on `topic`. */
export function kafkaGroupId(topic: string, group: string): string {
  return `${group}@${topic}`;
}
