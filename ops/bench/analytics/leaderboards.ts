/**
 * Leaderboard benchmark: top-K and video-stats reads under load, through the analytics routes
 * (validation, the store, the catalog labels, JSON), from the Redis boards and from the SQL
 * aggregates, each beside a bare round trip to the same store in the same run. See
 * docs/benchmarks.md.
 *
 *   deno run -P=test ops/bench/analytics/leaderboards.ts [--contents 10000] [--views 200000]
 *     [--concurrency 32] [--seconds 5] [--k 10] [--records 100000] [--sessions 2000]
 *     [--partitions 6] [--batch-size 5000] [--only pglite|postgres] [--markdown results.md]
 *
 * It also times the view-counting projections applying a Kafka topic into the PostgreSQL server,
 * beside a bare consumer of the topic (views-apply.ts). POSTGRES_URL (a scratch database there,
 * dropped at the end), REDIS_URL (keys under a prefix of the run's own, deleted at the end) and
 * KAFKA_BROKERS (a topic of the run's own, deleted at the end) name the servers; without one, its
 * part is skipped.
 */
import { Hono } from "hono";
import { closeRedis, connectRedis } from "../../../adapters/redis/client.ts";
import { RedisLeaderboardStore } from "../../../adapters/redis/leaderboard.ts";
import { deleteKeys } from "../../../adapters/redis/testing.ts";
import type { LeaderboardStore } from "../../../domain/ports/leaderboard.ts";
import { TELEMETRY_BATCH_SIZE } from "../../../projections/runtime/telemetry-batch.ts";
import { Leaderboards } from "../../../read-api/analytics/leaderboards.ts";
import { analyticsRoutes } from "../../../read-api/analytics/routes.ts";
import { commandLine, describeMachine } from "../lib/machine.ts";
import { integerOption, optionEnvNames, readOptions, textOption } from "../lib/options.ts";
import { progress } from "../lib/progress.ts";
import { formatCount, formatReport, markdownTable, type Report } from "../lib/report.ts";
import { type Engine, openPgliteEngine, openScratchServerEngine } from "../projections/engines.ts";
import { measureReads, type ReadFigures } from "./read-load.ts";
import { markBoardsLive, seedBoards, seedSql } from "./seed.ts";
import { type ApplyRow, benchViewsApply } from "./views-apply.ts";
import { GENRES, type ViewsWorkload, viewsWorkload } from "./views-workload.ts";

const SCRIPT = "ops/bench/analytics/leaderboards.ts";
const SPECS = {
  "contents": integerOption("BENCH_CONTENTS", 10_000),
  "views": integerOption("BENCH_VIEWS", 200_000),
  "concurrency": integerOption("BENCH_CONCURRENCY", 32),
  "seconds": integerOption("BENCH_SECONDS", 5),
  "k": integerOption("BENCH_K", 10),
  "records": integerOption("BENCH_RECORDS", 100_000),
  "sessions": integerOption("BENCH_SESSIONS", 2_000),
  "partitions": integerOption("BENCH_PARTITIONS", 6),
  // The projections' own batch size unless told otherwise.
  "batch-size": integerOption("BENCH_BATCH_SIZE", TELEMETRY_BATCH_SIZE),
  "only": textOption("BENCH_ONLY", ["pglite", "postgres"]),
  "markdown": textOption("BENCH_MARKDOWN"),
};
type Options = ReturnType<typeof readOptions<typeof SPECS>>;

const TARGET = { requestsPerSecond: 20_000, p99Ms: 10 };
const APPLY_TARGET = 50_000;
const APPLY_COLUMNS = [
  { title: "projection", align: "left" },
  { title: "records", align: "right" },
  { title: "seconds", align: "right" },
  { title: "records/s", align: "right" },
  { title: "bare consumer records/s", align: "right" },
  { title: "ratio", align: "right" },
  { title: "target", align: "left" },
  { title: "met", align: "left" },
] as const;

function applyCells({ projection, applied, bare }: ApplyRow): string[] {
  const rate = (w: { events: number; seconds: number }) => w.events / w.seconds;
  return [
    `Kafka → PostgreSQL, ${projection}`,
    formatCount(applied.events),
    applied.seconds.toFixed(2),
    formatCount(rate(applied)),
    formatCount(rate(bare)),
    (rate(applied) / rate(bare)).toFixed(2),
    `≥ ${formatCount(APPLY_TARGET)} records/s`,
    rate(applied) >= APPLY_TARGET ? "yes" : "no",
  ];
}
const COLUMNS = [
  { title: "read models", align: "left" },
  { title: "case", align: "left" },
  { title: "p50 ms", align: "right" },
  { title: "p99 ms", align: "right" },
  { title: "req/s", align: "right" },
  { title: "baseline", align: "left" },
  { title: "baseline req/s", align: "right" },
  { title: "ratio", align: "right" },
  { title: "target", align: "left" },
  { title: "met", align: "left" },
] as const;

interface Row {
  engine: string;
  case: string;
  figures: ReadFigures;
  baseline: { name: string; figures: ReadFigures };
  targeted: boolean;
}

function cells(row: Row): string[] {
  const { figures, baseline } = row;
  const met = figures.requestsPerSecond >= TARGET.requestsPerSecond && figures.p99 < TARGET.p99Ms;
  return [
    row.engine,
    row.case,
    figures.p50.toFixed(2),
    figures.p99.toFixed(2),
    formatCount(figures.requestsPerSecond),
    baseline.name,
    formatCount(baseline.figures.requestsPerSecond),
    (figures.requestsPerSecond / baseline.figures.requestsPerSecond).toFixed(2),
    row.targeted
      ? `≥ ${formatCount(TARGET.requestsPerSecond)} req/s, p99 < ${TARGET.p99Ms} ms`
      : "—",
    row.targeted ? (met ? "yes" : "no") : "—",
  ];
}

/** GETs through the analytics routes, as the service mounts them. */
function routesOver(engine: Engine, hot?: LeaderboardStore, cacheMs?: number) {
  const { analytics, videos } = analyticsRoutes({
    sql: engine.sql,
    leaderboards: new Leaderboards({ sql: engine.sql, hot, cacheMs }),
    minPlayedSec: 10,
  });
  const app = new Hono().route("/v1/analytics", analytics).route("/v1/videos", videos);
  return async (path: string, source?: string) => {
    const response = await app.request(path);
    const body = await response.json();
    if (response.status !== 200 || (source && body.source !== source)) {
      throw new Error(`${path}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
  };
}

async function benchEngine(
  engine: Engine,
  options: Options,
  work: ViewsWorkload,
  redis: { store: RedisLeaderboardStore; bare: (i: number) => Promise<unknown> } | undefined,
): Promise<Row[]> {
  progress(`${engine.label}: loading ${formatCount(work.views.length)} views`);
  await seedSql(engine.sql, work);
  const load = { concurrency: options.concurrency, seconds: options.seconds };
  const bareSql = {
    name: "bare SELECT 1, same client",
    figures: await measureReads(() => engine.sql.query("SELECT 1"), load),
  };
  const sqlRoutes = routesOver(engine);
  const uncachedSql = routesOver(engine, undefined, 0);
  const ids = work.contents.map((c) => c.id);
  const top = (query: string) => `/v1/analytics/top?k=${options.k}&${query}`;
  interface Case {
    name: string;
    read: (i: number) => Promise<void>;
    baseline: Row["baseline"] | (() => Promise<Row["baseline"]>);
    targeted?: boolean;
  }
  const cases: Case[] = [];
  if (redis) {
    await markBoardsLive(engine.sql);
    const hot = routesOver(engine, redis.store);
    const uncachedHot = routesOver(engine, redis.store, 0);
    const bareRedis = async () => ({
      name: "bare ZREVRANGE of one board, ioredis",
      figures: await measureReads(redis.bare, load),
    });
    for (const window of ["hour", "day", "month"]) {
      cases.push({
        name: `top, window=${window}, overall, Redis`,
        read: () => hot(top(`window=${window}`), "redis"),
        baseline: bareRedis,
        targeted: true,
      });
    }
    cases.push({
      name: "top, window=day, overall, Redis, no answer cache",
      read: () => uncachedHot(top("window=day"), "redis"),
      baseline: bareRedis,
    });
  }
  cases.push(
    {
      name: "top, window=day, overall, SQL",
      read: () => sqlRoutes(top("window=day"), "sql"),
      baseline: bareSql,
    },
    {
      name: "top, window=week, one genre, SQL",
      read: (i) => sqlRoutes(top(`window=week&genre=${GENRES[i % GENRES.length]}`), "sql"),
      baseline: bareSql,
    },
    {
      name: "top, window=day, overall, SQL, no answer cache",
      read: () => uncachedSql(top("window=day"), "sql"),
      baseline: bareSql,
    },
    {
      name: "video stats (SQL)",
      read: (i) => sqlRoutes(`/v1/videos/${ids[(i * 7919) % ids.length]}/stats`),
      baseline: bareSql,
    },
  );
  const rows: Row[] = [];
  for (const { name, read, baseline, targeted = false } of cases) {
    progress(`${engine.label}: ${name}`);
    const figures = await measureReads(read, load);
    const base = typeof baseline === "function" ? await baseline() : baseline;
    rows.push({
      engine: engine.label,
      case: `${name}, k=${options.k}`,
      figures,
      baseline: base,
      targeted,
    });
  }
  return rows;
}

/** Runs the benchmark with `args` (flags as on the command line), prints and returns its report. */
export async function runBenchmark(args: string[] = Deno.args): Promise<Report> {
  const options = readOptions(args, SPECS);
  const postgresUrl = Deno.env.get("POSTGRES_URL");
  const redisUrl = Deno.env.get("REDIS_URL");
  const skipped: string[] = [];
  const openers: (() => Promise<Engine>)[] = [];
  if (options.only !== "postgres") openers.push(openPgliteEngine);
  if (options.only !== "pglite" && postgresUrl) {
    openers.push(() => openScratchServerEngine(postgresUrl, options.concurrency + 4));
  } else if (options.only !== "pglite") skipped.push("PostgreSQL server: POSTGRES_URL is not set");
  if (!redisUrl) skipped.push("Redis boards: REDIS_URL is not set");
  const brokers = Deno.env.get("KAFKA_BROKERS")?.split(",");
  if (!brokers || !postgresUrl || options.only === "pglite") {
    skipped.push("apply rate from Kafka: needs KAFKA_BROKERS and POSTGRES_URL");
  }
  const applyRows: ApplyRow[] = [];

  const now = Date.now();
  progress("planning the workload");
  const work = viewsWorkload(options.contents, options.views, now);
  const client = redisUrl ? await connectRedis(redisUrl, { name: "bench" }) : undefined;
  const prefix = `bench:analytics:${crypto.randomUUID().slice(0, 8)}:`;
  const rows: Row[] = [];
  const descriptions: string[] = [];
  try {
    let redis: Parameters<typeof benchEngine>[3];
    if (client) {
      const store = new RedisLeaderboardStore(client, { prefix });
      progress(`Redis: writing ${formatCount(work.views.length)} views to the boards`);
      const board = "view_boards_g1";
      await seedBoards(store, board, work, now);
      const all = `${prefix}{${board}}:all`;
      redis = { store, bare: () => client.zrevrange(all, 0, options.k - 1, "WITHSCORES") };
      descriptions.push(`Redis ${(await client.info("server")).match(/redis_version:(\S+)/)?.[1]}`);
    }
    for (const open of openers) {
      const engine = await open();
      try {
        descriptions.push(...await engine.describe());
        if (brokers && engine.kind !== "pglite") {
          const boards = client
            ? new RedisLeaderboardStore(client, { prefix: `${prefix}apply:` })
            : undefined;
          applyRows.push(
            ...await benchViewsApply(engine, brokers, {
              records: options.records,
              sessions: options.sessions,
              partitions: options.partitions,
              batchSize: options["batch-size"],
            }, boards),
          );
        }
        rows.push(...await benchEngine(engine, options, work, redis));
      } finally {
        await engine.dispose();
      }
    }
  } finally {
    if (client) {
      await deleteKeys(client, prefix);
      await closeRedis(client);
    }
  }
  const command = commandLine({
    args,
    script: SCRIPT,
    urlEnv: ["POSTGRES_URL", "REDIS_URL"],
    env: [...optionEnvNames(SPECS), "KAFKA_BROKERS"],
  });
  const result: Report = {
    machine: [
      ...describeMachine(command),
      ...descriptions,
      `Workload: ${formatCount(options.contents)} contents, ${formatCount(options.views)} views ` +
      "(Zipf-like popularity; half in the last day, 90 % in the last month), " +
      `${options.concurrency} concurrent clients for ${options.seconds} s per case, in-process ` +
      "requests to the analytics routes (Hono app.request), latencies under that load",
      "Answers are reused for 1 s in the process and the Redis boards reuse a window's union for " +
      '1 s (LEADERBOARD_CACHE_MS default); the "no answer cache" rows compute every answer',
      `Apply rate: ${formatCount(options.records)} heartbeats (~450 bytes of JSON) of ` +
      `${formatCount(options.sessions)} sessions, each a view, ${options.partitions} partitions, ` +
      `batches of ${
        options["batch-size"]
      }; the bare consumer reads the same topic (JSON.parse only)`,
    ],
    table: [
      ...markdownTable(COLUMNS, rows.map(cells)),
      ...(applyRows.length ? ["", ...markdownTable(APPLY_COLUMNS, applyRows.map(applyCells))] : []),
    ],
    skipped,
  };
  const report = formatReport(result);
  console.log(report);
  if (options.markdown) await Deno.writeTextFile(options.markdown, report);
  return result;
}

if (import.meta.main) await runBenchmark();
