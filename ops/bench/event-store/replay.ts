/** The replay case: readAll paging through this run's events against a plain paging SELECT. */
import type { SqlClient } from "../../../domain/ports/sql.ts";
import type { PostgresEventStore } from "../../../adapters/postgres/event-store.ts";
import { formatCount } from "../lib/report.ts";
import { median } from "../lib/statistics.ts";
import { secondsSince } from "../lib/timing.ts";
import type { Engine } from "./engine.ts";
import type { ResultRow } from "./result.ts";
import { sampleEvent } from "./sample-event.ts";

const REPLAY_PAGE = 1000;
const MIN_SERVER_REPLAY_RATE = 100_000;

export interface ReplayStart {
  /** For store.readAll. */
  position: string;
  /** For the plain paging query. */
  globalPosition: number;
}

/** Appends a marker whose position the replay starts after, so it reads only this run's events. */
export async function markStart(store: PostgresEventStore, runId: string): Promise<ReplayStart> {
  const marker = await store.appendToStream(`bench-${runId}-start`, [sampleEvent()]);
  return { position: marker.position, globalPosition: marker.global_position };
}

export async function benchReplay(
  engine: Engine,
  start: ReplayStart,
  repeats: number,
): Promise<ResultRow> {
  const store = () => replayThroughStore(engine.store, start);
  const plain = () => replayThroughPlainSelect(engine.sql, start);
  await store();
  await plain();
  const storeRuns: number[] = [];
  const plainRuns: number[] = [];
  let events = 0;
  for (let run = 0; run < repeats; run++) {
    const storeRun = await timeReplay(store);
    const plainRun = await timeReplay(plain);
    if (storeRun.count !== plainRun.count) {
      throw new Error(
        `readAll returned ${storeRun.count} events, the plain query ${plainRun.count}`,
      );
    }
    storeRuns.push(storeRun.seconds);
    plainRuns.push(plainRun.seconds);
    events = storeRun.count;
  }
  const seconds = median(storeRuns);
  const isServer = engine.kind === "postgres";
  return {
    engine: engine.label,
    case: `readAll replay, pages of ${REPLAY_PAGE} (median of ${repeats})`,
    appenders: null,
    events,
    seconds,
    baselineSeconds: median(plainRuns),
    latency: null,
    target: isServer ? `≥ ${formatCount(MIN_SERVER_REPLAY_RATE)} events/s` : "none (server only)",
    met: isServer ? events / seconds >= MIN_SERVER_REPLAY_RATE : null,
  };
}

function replayThroughStore(store: PostgresEventStore, start: ReplayStart): Promise<number> {
  return countPages(
    start.position,
    (after) => store.readAll({ after, max_count: REPLAY_PAGE }),
    (event) => event.position,
  );
}

function replayThroughPlainSelect(sql: SqlClient, start: ReplayStart): Promise<number> {
  return countPages(
    start.globalPosition,
    (after) =>
      sql.query<{ global_position: number }>(
        "SELECT * FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2",
        [after, REPLAY_PAGE],
      ),
    (row) => row.global_position,
  );
}

/** Reads pages, each after the last item of the one before, until one is empty; counts items. */
async function countPages<Item, Position>(
  first: Position,
  readPage: (after: Position) => Promise<Item[]>,
  positionOf: (item: Item) => Position,
): Promise<number> {
  let count = 0;
  let after = first;
  for (;;) {
    const page = await readPage(after);
    if (page.length === 0) return count;
    count += page.length;
    after = positionOf(page[page.length - 1]!);
  }
}

async function timeReplay(
  replay: () => Promise<number>,
): Promise<{ seconds: number; count: number }> {
  const start = performance.now();
  const count = await replay();
  return { seconds: secondsSince(start), count };
}
