/**
 * Follows the telemetry log for one owned generation. The checkpoint is the next offset of every
 * partition (JSON in the generation's position), stored with the read-model writes; consumption
 * starts each assigned partition there, whatever the broker remembers for the group. A building
 * generation goes live once every partition has reached the end it had when the build started.
 */
import type { LoggedRecord, TelemetryBatch } from "../../domain/ports/telemetry-log.ts";
import { applyBatch, inBatchTransaction } from "./apply-batch.ts";
import { batchGatherer, unapplied } from "./gather-batches.ts";
import { advanceCheckpoint, promote } from "./generations.ts";
import type { TelemetryProjection } from "./projection.ts";
import type { Owned, RunnerDeps } from "./runner.ts";

type Offsets = Record<string, string>;

/**
 * How long batches that follow the first may join it in one transaction, as long as each comes
 * within the gap of the one before: the batches of one fetch (a partition each) come within a
 * millisecond or two, and under load the next fetch's follow; an idle log waits only the gap.
 */
const GATHER_WINDOW_MS = 50;
const GATHER_GAP_MS = 5;

export async function followTelemetry(
  deps: RunnerDeps,
  projection: TelemetryProjection,
  owned: Owned,
  signal: AbortSignal,
): Promise<void> {
  const { sql, telemetry } = deps;
  if (!telemetry) throw new Error(`projection ${projection.name} needs the telemetry log`);
  const log = deps.logger.child({ projection: projection.name, generation: owned.generation });
  let position = owned.position;
  let offsets: Offsets = position ? JSON.parse(position) : {};
  let buildTarget = owned.building ? await telemetry.endOffsets() : undefined;

  const goLive = async () => {
    await sql.transaction((tx) => promote(tx, projection, owned.generation, position));
    buildTarget = undefined;
    log.info("rebuilt generation is live", { position });
  };
  if (buildTarget && reached(offsets, buildTarget)) await goLive();

  const apply = async (batches: readonly TelemetryBatch[]) => {
    const { records, next } = unapplied(batches, offsets);
    if (records.length === 0) return;
    const nextPosition = JSON.stringify(next);
    const lastEventAt = records.reduce((at, r) => r.logged_at > at ? r.logged_at : at, "");
    await inBatchTransaction(sql, async (tx, isolate) => {
      const parked = await applyBatch(tx, projection, owned.generation, records, {
        onPoison: deps.onPoison,
        isolate,
        label: (r: LoggedRecord) => `record ${r.partition}:${r.offset} (key ${r.key})`,
      });
      if (parked > 0) log.warn("parked poison records", { count: parked });
      const checkpoint = {
        position: nextPosition,
        global_position: total(next),
        last_event_at: lastEventAt,
      };
      const applied = records.length - parked;
      await advanceCheckpoint(tx, projection.name, owned.generation, position, checkpoint, applied);
    });
    offsets = next;
    position = nextPosition;
  };

  // Stopped when this ends, however it ends: a read still waiting for a batch then returns.
  const stop = new AbortController();
  const batches = telemetry.consume({
    group: consumerGroupOf(projection.name, owned.generation),
    startOffset: (partition) => Promise.resolve(offsets[partition]),
    signal: AbortSignal.any([signal, stop.signal]),
    max_batch: deps.batchSize,
  });
  const gatherer = batchGatherer(batches[Symbol.asyncIterator](), {
    maxRecords: deps.batchSize,
    windowMs: GATHER_WINDOW_MS,
    gapMs: GATHER_GAP_MS,
  });
  // The next gathering is read (fetched and decoded) while the current one is applied, so the
  // process works while the database does; applies stay one at a time, in order, and `unapplied`
  // leaves out whatever a rebalance hands out again.
  let reading: ReturnType<typeof gatherer.next> | undefined;
  try {
    for (let gathered = await gatherer.next(); gathered; gathered = await reading) {
      reading = gatherer.next();
      reading.catch(() => {}); // a failure is seen when awaited, not reported unhandled
      await apply(gathered);
      if (buildTarget && reached(offsets, buildTarget)) await goLive();
    }
  } finally {
    stop.abort();
    await reading?.catch(() => {});
    await gatherer.close();
  }
}

function reached(offsets: Offsets, target: Map<number, string>): boolean {
  return [...target].every(([partition, end]) => BigInt(offsets[partition] ?? "0") >= BigInt(end));
}

/** Records consumed over all partitions: the position figure lag is measured against. */
export function total(offsets: Offsets | Map<number, string>): number {
  const values = offsets instanceof Map ? [...offsets.values()] : Object.values(offsets);
  return values.reduce((sum, offset) => sum + Number(offset), 0);
}

/** The telemetry log consumer group of a projection's generation. */
export function consumerGroupOf(projection: string, generation: number): string {
  return `projection.${projection}.g${generation}`;
}
