/**
 * The catalog replay case: a fresh store holds a catalog's history; the projection runtime takes
 * the catalog read model from empty to caught up, first as a new live generation (a first start),
 * then as rebuilds beside the live one. Baseline: the store's bare readAll over the same events,
 * pages as large as the runtime's batches.
 */
import type { PostgresEventStore } from "../../../adapters/postgres/event-store.ts";
import { catalogProjection } from "../../../projections/catalog/projection.ts";
import {
  BULK_EVENTS_PER_WRITE,
  BULK_PAGE_EVENTS,
} from "../../../projections/runtime/bulk-catch-up.ts";
import { progress } from "../lib/progress.ts";
import { formatCount } from "../lib/report.ts";
import { median } from "../lib/statistics.ts";
import { secondsSince } from "../lib/timing.ts";
import type { CatalogHistory } from "./catalog-history.ts";
import { cpuMeter, describeCpu } from "./cpu-meter.ts";
import type { Engine } from "./engines.ts";
import type { Options } from "./options.ts";
import type { ResultRow } from "./result.ts";
import { benchRuntime, waitForGeneration, waitForRetiredDropped } from "./runtime.ts";
import { appendHistory } from "./seed.ts";

const MIN_REPLAY_RATE = 50_000;
const PROJECTION = catalogProjection.name;

export async function benchCatalogReplay(
  engine: Engine,
  options: Options,
  history: CatalogHistory,
): Promise<ResultRow[]> {
  const { batchSize } = options;
  // The projection catches up in bulk, in pages of its own size: the baseline reads the same pages.
  const pageSize = BULK_PAGE_EVENTS;
  progress(`${engine.label}: appending ${formatCount(history.events)} catalog events`);
  await appendHistory(engine.store, history.appends, engine.concurrency);
  // As autovacuum would have by the time of a real rebuild; left to it, its vacuum of the freshly
  // appended log landed in the timed runs at random (a few seconds of the server's CPU).
  await engine.sql.exec("VACUUM ANALYZE events");
  const head = (await engine.store.head())!.global_position;
  const baselineRuns: number[] = [];
  const bareReplay = async () => {
    const started = performance.now();
    const read = await readEverything(engine.store, pageSize);
    if (read !== history.events) throw new Error(`readAll read ${read} of ${history.events}`);
    baselineRuns.push(secondsSince(started));
  };
  await readEverything(engine.store, pageSize); // warm-up

  const runtime = benchRuntime(engine, [catalogProjection], batchSize);
  let firstStart: number;
  const rebuilds: number[] = [];
  try {
    progress(`${engine.label}: catalog projection, first start`);
    await bareReplay();
    const [{ database }] = engine.kind === "pglite"
      ? [{ database: null }]
      : await engine.sql.query<{ database: string }>("SELECT current_database() AS database");
    const measureCpu = () => cpuMeter(database);
    let cpu = await measureCpu();
    const started = performance.now();
    await runtime.start();
    const caughtUp = (row: { global_position: number }) => row.global_position >= head;
    firstStart = (await waitForGeneration(engine.sql, runtime, PROJECTION, 1, caughtUp) - started) /
      1000;
    progress(
      `${engine.label}: first start ${firstStart.toFixed(3)} s, ${describeCpu(await cpu())}`,
    );
    await assertReadModel(engine, history);
    for (let run = 1; run <= options.rebuilds; run++) {
      progress(`${engine.label}: catalog projection, rebuild ${run} of ${options.rebuilds}`);
      await bareReplay();
      cpu = await measureCpu();
      const started = performance.now();
      const generation = await runtime.rebuild(PROJECTION);
      const live = await waitForGeneration(
        engine.sql,
        runtime,
        PROJECTION,
        generation,
        (row) => row.status === "live" && caughtUp(row),
      );
      rebuilds.push((live - started) / 1000);
      progress(
        `${engine.label}: rebuild ${run} ${rebuilds.at(-1)!.toFixed(3)} s, ${
          describeCpu(await cpu())
        }`,
      );
      await waitForRetiredDropped(engine.sql, runtime, PROJECTION);
      await assertReadModel(engine, history);
    }
  } finally {
    await runtime.stop();
  }
  const baseline = {
    name: `bare readAll, pages of ${formatCount(pageSize)} (median of ${baselineRuns.length})`,
    events: history.events,
    seconds: median(baselineRuns),
  };
  const row = (name: string, seconds: number): ResultRow => ({
    engine: engine.label,
    case: `catalog ${name}, bulk catch-up in pages of ${formatCount(pageSize)}, ` +
      `written every ${formatCount(BULK_EVENTS_PER_WRITE)} events`,
    events: history.events,
    seconds,
    baseline,
    latency: null,
    target: `≥ ${formatCount(MIN_REPLAY_RATE)} events/s`,
    met: history.events / seconds >= MIN_REPLAY_RATE,
  });
  return [
    row("first start (empty live generation)", firstStart),
    row(`rebuild (median of ${rebuilds.length})`, median(rebuilds)),
  ];
}

/** Reads the whole log with readAll, `pageSize` events a page; resolves to how many. */
async function readEverything(store: PostgresEventStore, pageSize: number): Promise<number> {
  let count = 0;
  const read = (after?: string) => store.readAll({ after, max_count: pageSize });
  for (let page = await read(); page.length > 0; page = await read(page.at(-1)!.position)) {
    count += page.length;
  }
  return count;
}

/** The read model has every video and show of the history: the timed work was the real work. */
async function assertReadModel(engine: Engine, history: CatalogHistory): Promise<void> {
  const [row] = await engine.sql.query<{ videos: number; shows: number }>(
    `SELECT (SELECT count(*)::int FROM catalog.videos) AS videos,
            (SELECT count(*)::int FROM catalog.shows) AS shows`,
  );
  if (row?.videos !== history.videos || row?.shows !== history.shows) {
    throw new Error(
      `the catalog read model has ${row?.videos} videos and ${row?.shows} shows, ` +
        `the history ${history.videos} and ${history.shows}`,
    );
  }
}
