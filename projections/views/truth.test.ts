/**
 * Views against the ground truth of simulated sessions (ops/simulate): the deliveries, with late
 * sessions and repeated events, fed as the runtime would, give per content exactly the sessions
 * whose planned events reached a first frame and 10 s played.
 */
import assert from "node:assert/strict";
import { migrate } from "../../adapters/postgres/migrate.ts";
import { migrations } from "../../adapters/postgres/migrations/index.ts";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import { DEFAULT_VIEW_RULE } from "../../domain/analytics/view-rule.ts";
import { simulateSessions } from "../../ops/simulate/sessions.ts";
import { logRecords } from "../qoe/testing.ts";
import { viewsProjection } from "./projection.ts";
import { topViewed } from "./queries.ts";

Deno.test("views match the simulated sessions' truth, late and repeated events included", async () => {
  const now = Date.now();
  const simulation = simulateSessions({
    seed: 6,
    sessions: 400,
    startMs: now - 40 * 60_000,
    spanSec: 900,
    allowedLatenessSec: 60,
  });
  const truth = new Map<string, number>();
  for (const { content_id, events } of simulation.sessions) {
    const played = Math.max(0, ...events.map((e) => Number(e.played_ms ?? 0)));
    const started = events.some((e) => e.type === "first_frame");
    if (started && played >= DEFAULT_VIEW_RULE.minPlayedSec * 1000) {
      truth.set(content_id, (truth.get(content_id) ?? 0) + 1);
    }
  }
  assert.ok(truth.size > 3);

  const sql = await openPglite();
  await migrate(sql, migrations);
  await sql.exec("CREATE SCHEMA views");
  const projection = viewsProjection();
  await sql.transaction((tx) => projection.setup(tx, "views"));
  const records = logRecords(simulation.deliveries, 4);
  for (let i = 0; i < records.length; i += 300) {
    const slice = records.slice(i, i + 300);
    for (const partition of new Set(slice.map((r) => r.partition))) {
      const mine = slice.filter((r) => r.partition === partition);
      await sql.transaction((tx) => projection.apply(tx, "views", mine));
    }
  }

  const expected = Object.fromEntries(truth);
  for (const window of ["day", "all"] as const) {
    const board = await topViewed(sql, { window, k: 100 }, now);
    const counted = Object.fromEntries(board.map((r) => [r.content_id, r.views]));
    assert.deepEqual(counted, expected, window);
  }
  await sql.close();
});
