/**
 * The telemetry log port: a partitioned, append-only log for high-volume playback events (Kafka in
 * production, a table in the embedded profile). Records with the same key (the session id) go to
 * the same partition, so a session's events stay in order.
 */
import type { JsonObject } from "./event-store.ts";

export interface TelemetryRecord {
  /** Partitioning key: the playback session id. */
  key: string;
  value: JsonObject;
}

export interface LoggedRecord extends TelemetryRecord {
  partition: number;
  /**
   * Decimal offset within the partition, ascending in append order, never repeated; not
   * necessarily consecutive (the Kafka adapter numbers packed messages, decision 0024).
   */
  offset: string;
  /** When the log stored it (ISO 8601). */
  logged_at: string;
}

export interface TelemetryBatch {
  partition: number;
  records: LoggedRecord[];
  /**
   * The offset to resume from once this batch is applied: after the last record's offset, at most
   * the next record's.
   */
  next_offset: string;
}

export interface ConsumeOptions {
  /** Consumer group: the partitions are shared among the group's members, one owner each. */
  group: string;
  /**
   * Where to start reading a partition when it is assigned to this member: the consumer's own
   * stored checkpoint (the next offset to read), or undefined for the beginning of the log.
   */
  startOffset: (partition: number) => Promise<string | undefined>;
  /** Ends consumption; the iterator returns after the batch in hand. */
  signal?: AbortSignal;
  /** Largest batch to hand out at once (default 500). */
  max_batch?: number;
}

export interface TelemetryLog {
  /** Resolves only once the log has durably acknowledged every record of the batch. */
  append(records: readonly TelemetryRecord[]): Promise<void>;
  /** Batches of one partition at a time, in offset order within each partition. */
  consume(options: ConsumeOptions): AsyncIterable<TelemetryBatch>;
  partitionCount(): Promise<number>;
  /** Per partition, the offset the next appended record will get (for lag and catch-up). */
  endOffsets(): Promise<Map<number, string>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The log cannot take records now (broker down, disk full): answer 503 and let clients retry. */
export class TelemetryLogUnavailableError extends Error {
  override readonly name = "TelemetryLogUnavailableError";
}
