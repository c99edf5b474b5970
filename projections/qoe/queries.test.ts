import assert from "node:assert/strict";
import { IDLE_PARTITION_MS, lowestWatermark } from "./queries.ts";
import { qoeDatabase } from "./testing.ts";

Deno.test("the lowest watermark leaves out partitions gone quiet, so one cannot hold every window open", async () => {
  const { sql } = await qoeDatabase(30);
  const T = Date.UTC(2026, 10, 21, 12, 0);
  const watermarks = (rows: [number, number][]) =>
    sql.query(
      `INSERT INTO qoe.qoe_partitions SELECT * FROM unnest($1::int[], $2::bigint[])
       ON CONFLICT (partition) DO UPDATE SET watermark_ms = excluded.watermark_ms`,
      [rows.map(([partition]) => partition), rows.map(([, at]) => at)],
    );
  assert.equal(await lowestWatermark(sql), null);

  await watermarks([[0, T], [1, T - 60_000], [2, T - IDLE_PARTITION_MS]]);
  assert.equal(await lowestWatermark(sql), T - IDLE_PARTITION_MS, "all have traffic: the lowest");

  // Partition 2's sessions ended and nothing new hashed there; the others went on.
  await watermarks([[0, T + 60_000], [1, T + 30_000]]);
  assert.equal(await lowestWatermark(sql), T + 30_000);

  // Traffic comes back to partition 2 with current events.
  await watermarks([[2, T + 10_000]]);
  assert.equal(await lowestWatermark(sql), T + 10_000);
  await sql.close();
});
