/**
 * The baseline's telemetry log: takes every batch at once and keeps nothing, so the same server
 * answers 202 after parsing, validating, enriching and filtering repeats, without publishing.
 * Benchmark only; nothing reads from it.
 */
import type { TelemetryBatch, TelemetryLog } from "../../../domain/ports/telemetry-log.ts";

export class DiscardingTelemetryLog implements TelemetryLog {
  append(): Promise<void> {
    return Promise.resolve();
  }
  async *consume(): AsyncIterable<TelemetryBatch> {}
  partitionCount(): Promise<number> {
    return Promise.resolve(1);
  }
  endOffsets(): Promise<Map<number, string>> {
    return Promise.resolve(new Map());
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
