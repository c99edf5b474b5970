/** Transcoding for /metrics: the queue (from the media read model) and this worker's jobs. */
import { DURATION_BUCKETS, type Metrics } from "../../domain/ports/metrics.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import type { JobEnd } from "./job.ts";
import { transcodesWaiting } from "./todo.ts";

/** Transcodes waiting for an attempt, across every worker; read at each scrape. */
export function transcodeQueueMetrics(metrics: Metrics, readModels: SqlExecutor): void {
  metrics.gauge({
    name: "transcode_queue_length",
    help: "Transcodes waiting for an attempt (requested, or their worker's lease ran out)",
    read: async () => [{ value: await transcodesWaiting(readModels, new Date()) }],
  });
}

/** What a worker reports: its running jobs (read at scrape time) and each job's duration. */
export function transcodeWorkerMetrics(metrics: Metrics, running: () => number) {
  metrics.gauge({
    name: "transcode_jobs_running",
    help: "Transcode attempts running in this process",
    read: () => [{ value: running() }],
  });
  const durations = metrics.histogram({
    name: "transcode_duration_seconds",
    help: "Transcode attempt durations in this process, by how they ended",
    buckets: DURATION_BUCKETS,
  });
  return (end: JobEnd | "error", seconds: number) => durations.observe({ outcome: end }, seconds);
}
