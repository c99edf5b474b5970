/** Every benchmark of the project, as the suite runs them: each with its small (--quick) flags. */
import { runBenchmark as analyticsLeaderboards } from "../analytics/leaderboards.ts";
import { runBenchmark as analyticsQoe } from "../analytics/qoe.ts";
import { runBenchmark as eventStore } from "../event-store/main.ts";
import { runBenchmark as ingest } from "../ingest/main.ts";
import type { Report } from "../lib/report.ts";
import { runBenchmark as media } from "../media/main.ts";
import { runBenchmark as projections } from "../projections/main.ts";
import { runBenchmark as search } from "../search/main.ts";

export interface Benchmark {
  /** The name `--only` selects it by. */
  name: string;
  title: string;
  run: (args: string[]) => Promise<Report>;
  quick: string[];
}

export const BENCHMARKS: readonly Benchmark[] = [
  {
    name: "event-store",
    title: "Event store: appends, replay, subscriber latency",
    run: eventStore,
    quick: ["--events=2000", "--single-events=200", "--latency-samples=50", "--replay-repeats=2"],
  },
  {
    name: "projections",
    title: "Projections: catalog replay, telemetry apply, append-to-visible",
    run: projections,
    quick: [
      "--catalog-events=2000",
      "--rebuilds=1",
      "--telemetry-records=5000",
      "--sessions=200",
      "--visible-rate=500",
      "--visible-seconds=3",
      "--appenders=4",
    ],
  },
  {
    name: "media",
    title: "Media: delivery against nginx, transcoding against bare ffmpeg",
    run: media,
    quick: [
      "--seconds=2",
      "--connections=4",
      "--file-mib=8",
      "--segments=4",
      "--clip-seconds=2",
      "--clip-height=360",
    ],
  },
  {
    name: "ingest",
    title: "Ingest: POST /v1/events throughput, position PUT → GET",
    run: ingest,
    quick: ["--batches=50", "--clients=4", "--visible-samples=30"],
  },
  {
    name: "analytics",
    title: "Analytics: leaderboards and stats under load, view counting from Kafka",
    run: analyticsLeaderboards,
    quick: [
      "--contents=1000",
      "--views=10000",
      "--seconds=2",
      "--records=5000",
      "--sessions=200",
      "--concurrency=8",
    ],
  },
  {
    name: "qoe",
    title: "Analytics: the QoE projection from Kafka",
    run: analyticsQoe,
    quick: ["--sessions=300"],
  },
  {
    name: "search",
    title: "Search: latency and throughput, embedded and Meilisearch",
    run: search,
    quick: ["--sizes=1000", "--queries=100", "--seconds=2"],
  },
];
