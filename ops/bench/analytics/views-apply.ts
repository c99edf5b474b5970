/**
 * Apply rate of the view-counting projections from Kafka into the PostgreSQL server (the SQL
 * aggregates; with Redis, the hot boards too), beside a bare kafkajs consumer of the same topic in
 * the same run. The records are the projections benchmark's heartbeats, each session's first one
 * made its first frame, so that every session becomes a view.
 */
import { kafkaGroupId, KafkaTelemetryLog } from "../../../adapters/kafka/telemetry-log.ts";
import type { LeaderboardStore } from "../../../domain/ports/leaderboard.ts";
import type { TelemetryRecord } from "../../../domain/ports/telemetry-log.ts";
import { consumerGroupOf } from "../../../projections/runtime/follow-telemetry.ts";
import type { TelemetryProjection } from "../../../projections/runtime/projection.ts";
import { viewBoardsProjection } from "../../../projections/views/boards.ts";
import { viewsProjection } from "../../../projections/views/projection.ts";
import { progress } from "../lib/progress.ts";
import { formatCount } from "../lib/report.ts";
import type { Engine } from "../projections/engines.ts";
import { heartbeatRecords } from "../projections/heartbeats.ts";
import {
  bareKafkaConsume,
  type ConsumeWindow,
  deleteKafkaLeftovers,
} from "../projections/kafka.ts";
import { benchRuntime, waitForGeneration } from "../projections/runtime.ts";
import { appendInChunks } from "../projections/telemetry-apply.ts";

export interface ApplyRow {
  projection: string;
  applied: ConsumeWindow;
  bare: ConsumeWindow;
}

export interface ApplyOptions {
  records: number;
  sessions: number;
  partitions: number;
  batchSize: number;
}

/** Heartbeats whose sequence 1 is a first frame: with 10 s played, each session is a view. */
export function viewTelemetry(records: number, sessions: number): TelemetryRecord[] {
  return heartbeatRecords(records, sessions).map((record) =>
    record.value.seq === 1 ? { ...record, value: { ...record.value, type: "first_frame" } } : record
  );
}

export async function benchViewsApply(
  engine: Engine,
  brokers: readonly string[],
  options: ApplyOptions,
  boards?: LeaderboardStore,
): Promise<ApplyRow[]> {
  const runId = crypto.randomUUID().slice(0, 8);
  const topic = `bench-analytics-${runId}`;
  const bareGroup = `bench-analytics-bare-${runId}`;
  const log = new KafkaTelemetryLog({
    brokers,
    topic,
    partitions: options.partitions,
    clientId: "bench-analytics",
  });
  const records = viewTelemetry(options.records, options.sessions);
  const groups = [bareGroup];
  try {
    progress(`Kafka: producing ${formatCount(records.length)} records to ${topic}`);
    await appendInChunks(log, records, 4);
    progress("Kafka: bare kafkajs consumer");
    const bare = await bareKafkaConsume(brokers, topic, bareGroup, records.length);
    const projections = [viewsProjection(), ...(boards ? [viewBoardsProjection(boards)] : [])];
    const rows: ApplyRow[] = [];
    for (const projection of projections) {
      progress(`${engine.label}: ${projection.name} from Kafka`);
      const { applied, group } = await timeProjection(
        engine,
        log,
        projection,
        options,
        records.length,
      );
      groups.push(kafkaGroupId(topic, group));
      rows.push({ projection: projection.name, applied, bare });
    }
    return rows;
  } finally {
    await log.close();
    for (const problem of await deleteKafkaLeftovers(brokers, topic, groups)) {
      progress(`Kafka clean-up failed: ${problem}`);
    }
  }
}

/** Runs one projection on a fresh generation, from its first apply to the checkpoint covering all. */
async function timeProjection(
  engine: Engine,
  log: KafkaTelemetryLog,
  projection: TelemetryProjection,
  options: ApplyOptions,
  total: number,
): Promise<{ applied: ConsumeWindow; group: string }> {
  let firstApply: number | undefined;
  const timed: TelemetryProjection = {
    ...projection,
    batchSize: options.batchSize,
    apply(tx, schema, records) {
      firstApply ??= performance.now();
      return projection.apply(tx, schema, records);
    },
  };
  const runtime = benchRuntime(engine, [timed], options.batchSize, log);
  await runtime.start();
  try {
    const [live] = await engine.sql.query<{ generation: number }>(
      "SELECT generation FROM projection_generations WHERE projection = $1 AND status = 'live'",
      [projection.name],
    );
    const generation = live!.generation;
    const done = await waitForGeneration(
      engine.sql,
      runtime,
      projection.name,
      generation,
      (row) => row.global_position >= total,
    );
    return {
      applied: { events: total, seconds: (done - firstApply!) / 1000 },
      group: consumerGroupOf(projection.name, generation),
    };
  } finally {
    await runtime.stop();
  }
}
