/** The append throughput case: the store against the plain INSERT, in alternating turns. */
import type { Engine } from "./engine.ts";
import type { ResultRow } from "./result.ts";
import { appendThroughPlainInsert, appendThroughStore } from "./append-variants.ts";
import { eventCount, planWorkload, segments, timeWorkload } from "./workload.ts";

const MAX_STORE_OVERHEAD = 1.5;

/** Parts of an append workload, run alternately through the store and the plain INSERT. */
const SEGMENTS = 4;

export async function benchAppends(
  engine: Engine,
  runId: string,
  batchSize: number,
  events: number,
): Promise<ResultRow> {
  const label = `${runId}-b${batchSize}`;
  await warmUpAppends(engine, `${label}-warm`, batchSize, events);
  const workload = planWorkload(label, events, batchSize, engine.concurrency);
  const store = appendThroughStore(engine.store);
  const plain = appendThroughPlainInsert(engine.sql);
  let seconds = 0;
  let baselineSeconds = 0;
  // A B B A A B B A: table growth, checkpoints and other load on the machine weigh on both alike.
  for (const [index, segment] of segments(workload, SEGMENTS).entries()) {
    const plainFirst = index % 2 === 0;
    if (plainFirst) baselineSeconds += await timeWorkload(segment, plain);
    seconds += await timeWorkload(segment, store);
    if (!plainFirst) baselineSeconds += await timeWorkload(segment, plain);
  }
  return {
    engine: engine.label,
    case: `append, batch ${batchSize}`,
    appenders: engine.concurrency,
    events: eventCount(workload),
    seconds,
    baselineSeconds,
    latency: null,
    target: `ratio ≤ ${MAX_STORE_OVERHEAD}x`,
    met: seconds / baselineSeconds <= MAX_STORE_OVERHEAD,
  };
}

async function warmUpAppends(engine: Engine, label: string, batchSize: number, events: number) {
  const warmEvents = Math.max(batchSize * engine.concurrency, Math.ceil(events / 10));
  const workload = planWorkload(label, warmEvents, batchSize, engine.concurrency);
  await timeWorkload(workload, appendThroughPlainInsert(engine.sql));
  await timeWorkload(workload, appendThroughStore(engine.store));
}
