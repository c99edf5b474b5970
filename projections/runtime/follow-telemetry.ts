/**
 * Follows the telemetry log for one owned generation. The checkpoint is the next offset of every
 * partition (JSON in the generation's position), stored with the read-model writes; consumption
 * starts each assigned partition there, whatever the broker remembers for the group. A building
 * generation goes live once every partition has reached the end it had when the build started.
 */
import type { LoggedRecord, TelemetryBatch } from "../../domain/ports/telemetry-log.ts";
import { applyBatch, inBatchTransaction } from "./apply-batch.ts";
import { advanceCheckpoint, promote } from "./generations.ts";
import type { TelemetryProjection } from "./projection.ts";
import type { Owned, RunnerDeps } from "./runner.ts";

type Offsets = Record<string, string>;

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

  const apply = async (batch: TelemetryBatch) => {
    const last = batch.records[batch.records.length - 1]!;
    const next = { ...offsets, [batch.partition]: batch.next_offset };
    const nextPosition = JSON.stringify(next);
    await inBatchTransaction(sql, async (tx, isolate) => {
      const parked = await applyBatch(tx, projection, owned.generation, batch.records, {
        onPoison: deps.onPoison,
        isolate,
        label: (r: LoggedRecord) => `record ${r.partition}:${r.offset} (key ${r.key})`,
      });
      if (parked > 0) log.warn("parked poison records", { count: parked });
      const checkpoint = {
        position: nextPosition,
        global_position: total(next),
        last_event_at: last.logged_at,
      };
      const applied = batch.records.length - parked;
      await advanceCheckpoint(tx, projection.name, owned.generation, position, checkpoint, applied);
    });
    offsets = next;
    position = nextPosition;
  };

  const batches = telemetry.consume({
    group: `projection.${projection.name}.g${owned.generation}`,
    startOffset: (partition) => Promise.resolve(offsets[partition]),
    signal,
    max_batch: deps.batchSize,
  });
  for await (const batch of batches) {
    if (batch.records.length > 0) await apply(batch);
    if (buildTarget && reached(offsets, buildTarget)) await goLive();
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
