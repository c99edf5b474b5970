/**
 * The suite's curves, where a curve says more than a number: ingest throughput against batch size
 * and request latency against concurrent clients, each with and without the Kafka log (the latter
 * the same run's baseline), through the ingest benchmark's own measurement.
 */
import { KafkaTelemetryLog } from "../../../adapters/kafka/telemetry-log.ts";
import type { TelemetryLog } from "../../../domain/ports/telemetry-log.ts";
import { DiscardingTelemetryLog } from "../ingest/discard-log.ts";
import { ingestThroughput } from "../ingest/throughput.ts";
import { deleteKafkaLeftovers } from "../projections/kafka.ts";
import { progress } from "../lib/progress.ts";
import { formatCount, markdownTable } from "../lib/report.ts";
import type { LineChart } from "../lib/svg-chart.ts";

export interface Curve {
  /** File name of the chart, without the extension. */
  name: string;
  chart: LineChart;
  /** The points as a markdown table, each beside the baseline's. */
  table: string[];
}

const BATCH_SIZES = [1, 10, 25, 50, 100];
const CLIENTS = [1, 2, 4, 8, 16, 32];

interface Point {
  x: number;
  eventsPerSec: number;
  p50: number;
  p99: number;
}

async function sweep(
  log: TelemetryLog,
  xs: number[],
  settings: (x: number) => { batches: number; batchSize: number; clients: number },
): Promise<Point[]> {
  const points: Point[] = [];
  for (const x of xs) {
    const result = await ingestThroughput(log, settings(x));
    points.push({
      x,
      eventsPerSec: result.events / result.seconds,
      p50: result.p50Ms,
      p99: result.p99Ms,
    });
  }
  return points;
}

/** Both curves; `events` per point sets their size. Kafka only when `brokers` is given. */
export async function ingestCurves(events: number, brokers?: string[]): Promise<Curve[]> {
  const logs: { name: string; log: TelemetryLog }[] = [
    { name: "no log (baseline)", log: new DiscardingTelemetryLog() },
  ];
  const topic = `bench-suite-${crypto.randomUUID().slice(0, 8)}`;
  if (brokers) {
    logs.push({
      name: "Kafka (acks=all)",
      log: new KafkaTelemetryLog({ brokers, topic, partitions: 6 }),
    });
  }
  try {
    const bySize: Point[][] = [];
    const byClients: Point[][] = [];
    for (const { name, log } of logs) {
      progress(`curves: ${name}, throughput against batch size`);
      bySize.push(
        await sweep(log, BATCH_SIZES, (size) => ({
          batches: Math.max(10, Math.round(events / size)),
          batchSize: size,
          clients: 8,
        })),
      );
      progress(`curves: ${name}, latency against clients`);
      byClients.push(
        await sweep(log, CLIENTS, (clients) => ({
          batches: Math.max(clients * 4, Math.round(events / 100)),
          batchSize: 100,
          clients,
        })),
      );
    }
    const names = logs.map((l) => l.name);
    return [
      {
        name: "ingest-throughput-vs-batch-size",
        chart: {
          title: "POST /v1/events: events/s against batch size (8 clients)",
          xLabel: "events per batch",
          yLabel: "events accepted per second",
          series: bySize.map((points, i) => ({
            name: names[i]!,
            points: points.map((p) => [p.x, Math.round(p.eventsPerSec)] as const),
          })),
        },
        table: pointsTable("events per batch", names, bySize, (p) => formatCount(p.eventsPerSec)),
      },
      {
        name: "ingest-latency-vs-clients",
        chart: {
          title: "POST /v1/events (batches of 100): request latency against clients",
          xLabel: "concurrent clients",
          yLabel: "ms",
          series: byClients.flatMap((points, i) => [
            { name: `${names[i]} p50`, points: points.map((p) => [p.x, p.p50] as const) },
            { name: `${names[i]} p99`, points: points.map((p) => [p.x, p.p99] as const) },
          ]),
        },
        table: pointsTable(
          "clients",
          names,
          byClients,
          (p) => `${p.p50.toFixed(1)} / ${p.p99.toFixed(1)} ms, ${formatCount(p.eventsPerSec)}/s`,
        ),
      },
    ];
  } finally {
    for (const { log } of logs) await log.close();
    if (brokers) (await deleteKafkaLeftovers(brokers, topic, [])).forEach(progress);
  }
}

/** One row per x: each log's figure, and the last log's rate over the baseline's (the first). */
function pointsTable(
  xTitle: string,
  names: string[],
  series: Point[][],
  cell: (point: Point) => string,
): string[] {
  const rows = series[0]!.map((baseline, i) => [
    String(baseline.x),
    ...series.map((points) => cell(points[i]!)),
    series.length > 1
      ? `${(series.at(-1)![i]!.eventsPerSec / baseline.eventsPerSec).toFixed(2)}x`
      : "1.00x",
  ]);
  return markdownTable([
    { title: xTitle, align: "right" },
    ...names.map((title) => ({ title, align: "right" as const })),
    { title: "rate ratio to baseline", align: "right" },
  ], rows);
}
