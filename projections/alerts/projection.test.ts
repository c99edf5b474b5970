import assert from "node:assert/strict";
import { migrate } from "../../adapters/postgres/migrate.ts";
import { migrations } from "../../adapters/postgres/migrations/index.ts";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import { alertsProjection } from "./projection.ts";

const event = (version: number, type: string, value: number): RecordedEvent => ({
  event_id: crypto.randomUUID(),
  type,
  schema_version: 1,
  stream_name: "alert-LowQoE-movie-7",
  stream_version: version,
  global_position: version,
  position: String(version),
  recorded_at: new Date(Date.UTC(2026, 10, 21, 12, version * 5)).toISOString(),
  metadata: {},
  data: {
    rule: "LowQoE",
    metric: "qoe_score",
    severity: "warning",
    scope_id: "movie-7",
    value,
    threshold: 70,
    sample: 40,
    window_start: new Date(Date.UTC(2026, 10, 21, 12, version * 5 - 5)).toISOString(),
    window_end: new Date(Date.UTC(2026, 10, 21, 12, version * 5)).toISOString(),
    message: `Low QoE score: ${value}`,
  },
});

Deno.test("the alerts projection: the same events twice give the same read model", async () => {
  const sql = await openPglite();
  await migrate(sql, migrations);
  await sql.exec("CREATE SCHEMA alerts_test");
  await sql.transaction((tx) => alertsProjection.setup(tx, "alerts_test"));
  const events = [
    event(1, "AlertRaised", 60),
    event(2, "AlertResolved", 80),
    event(3, "AlertRaised", 50),
  ];
  const rows = () =>
    sql.query<{ status: string; value: number; resolved_value: number | null }>(
      "SELECT status, value, resolved_value FROM alerts_test.alerts ORDER BY raised_version",
    );
  await sql.transaction((tx) => alertsProjection.apply(tx, "alerts_test", events));
  const once = await rows();
  await sql.transaction((tx) => alertsProjection.apply(tx, "alerts_test", events));
  assert.deepEqual(await rows(), once);
  assert.deepEqual(once, [
    { status: "resolved", value: 60, resolved_value: 80 },
    { status: "firing", value: 50, resolved_value: null },
  ]);
  await sql.close();
});
