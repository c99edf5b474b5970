import assert from "node:assert/strict";
import type { JsonObject } from "../../domain/ports/event-store.ts";
import { simulateSessions } from "../../ops/simulate/sessions.ts";
import { feed, logRecords, qoeDatabase } from "./testing.ts";

Deno.test("the QoE projection: the same records twice give the same read model", async () => {
  const simulation = simulateSessions({
    seed: 3,
    sessions: 40,
    startMs: Date.UTC(2026, 10, 21, 9, 0, 0),
    spanSec: 600,
    allowedLatenessSec: 30,
  });
  const { sql, projection } = await qoeDatabase(30);
  const records = logRecords(simulation.deliveries as unknown as JsonObject[], 3);
  const snapshot = async () =>
    await Promise.all(["qoe_sessions", "qoe_windows", "qoe_viewers", "qoe_partitions"].map(
      async (table) =>
        (await sql.query(`SELECT * FROM qoe.${table}`)).map((row) => JSON.stringify(row)).sort(),
    ));
  await feed(sql, projection, records, 150);
  const once = await snapshot();
  assert.ok(once[1]!.length > 0);
  await feed(sql, projection, records, 70);
  assert.deepEqual(await snapshot(), once);
  await sql.close();
});
