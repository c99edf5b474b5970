/**
 * Where append-to-visible spends its CPU, stage by stage, each alone on a scratch database of the
 * server: the appends (VideoCreated, one per stream, submitted together as the appenders' commit
 * groups are), the live subscription's reads of the log (a batch per commit group) and the catalog
 * projection's apply of each batch (its transaction with the read model's writes; the checkpoint
 * update is left out). For each stage, the CPU per event of this process and of the database's
 * backends (cpu-meter.ts), which the paced benchmark (visibility.ts) only shows all together.
 *
 *   deno run -P=test ops/bench/projections/server-cost.ts [--group 64] [--groups 200]
 */
import type { RecordedEvent } from "../../../domain/ports/event-store.ts";
import { catalogProjection } from "../../../projections/catalog/projection.ts";
import { applyCatalogEvents } from "../../../projections/catalog/apply.ts";
import { inTransaction } from "../../../projections/runtime/apply-batch.ts";
import { integerOption, readOptions } from "../lib/options.ts";
import { newVideoAppends } from "./catalog-history.ts";
import { cpuMeter, describeCpuPer } from "./cpu-meter.ts";
import { openScratchServerEngine } from "./engines.ts";
import { seededRandom } from "./random.ts";

const { group, groups } = readOptions(Deno.args, {
  /** Events per commit group, read batch and applied batch. */
  group: integerOption("BENCH_GROUP", 64),
  groups: integerOption("BENCH_GROUPS", 200),
});
const url = Deno.env.get("POSTGRES_URL");
if (!url) throw new Error("POSTGRES_URL names the server");

const engine = await openScratchServerEngine(url, 4);
try {
  const { sql, store } = engine;
  const [{ database }] = await sql.query<{ database: string }>(
    "SELECT current_database() AS database",
  ) as [{ database: string }];
  const events = group * groups;
  const stage = async (name: string, work: () => Promise<void>) => {
    const cpu = await cpuMeter(database);
    await work();
    console.log(`${name}: ${describeCpuPer(await cpu(), events, "event")}`);
  };

  const appends = newVideoAppends(seededRandom(1), events, 1);
  await stage(`append, groups of ${group}`, async () => {
    for (let start = 0; start < events; start += group) {
      await Promise.all(
        appends.slice(start, start + group).map(({ stream, events }) =>
          store.appendToStream(stream, events, { expected_version: "no_stream" })
        ),
      );
    }
  });

  const batches: RecordedEvent[][] = [];
  await stage(`readAll, batches of ${group}`, async () => {
    let after: string | undefined;
    for (;;) {
      const batch = await store.readAll({ after, max_count: group });
      if (batch.length === 0) return;
      batches.push(batch);
      after = batch[batch.length - 1]!.position;
    }
  });

  const schema = "catalog_cost";
  await sql.exec(`CREATE SCHEMA ${schema}`);
  await sql.transaction((tx) => catalogProjection.setup(tx, schema));
  for (const index of catalogProjection.indexes?.(schema) ?? []) await sql.exec(index);
  await stage(`catalog apply, batches of ${group}`, async () => {
    for (const batch of batches) {
      await inTransaction(sql, (tx) => applyCatalogEvents(tx, schema, batch));
    }
  });
} finally {
  await engine.dispose();
}
