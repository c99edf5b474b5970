import assert from "node:assert/strict";
import type { JsonObject } from "../../domain/ports/event-store.ts";
import { simulateSessions } from "../../ops/simulate/sessions.ts";
import { exactQuantile, truthByWindow, type WindowTruth } from "../../ops/simulate/truth.ts";
import { windowInputs } from "./queries.ts";
import { feed, logRecords, qoeDatabase, sketches } from "./testing.ts";

const LATENESS_SEC = 60;
const EXACT = [
  "plays",
  "video_starts",
  "exits_before_start",
  "failures",
  "error_sessions",
  "completions",
  "played_ms",
  "rebuffers",
  "rebuffer_ms",
  "dropped_frames",
  "ended_sessions",
  "late_dropped",
] as const;

Deno.test("QoE figures equal the truth of simulated sessions: counts exact, percentiles within the sketch's error", async () => {
  const simulation = simulateSessions({
    seed: 7,
    sessions: 300,
    startMs: Date.UTC(2026, 10, 21, 12, 0, 0),
    spanSec: 1_200,
    allowedLatenessSec: LATENESS_SEC,
  });
  const kinds = new Set(simulation.sessions.map((s) => s.lateness));
  assert.deepEqual([...kinds].sort(), ["late_beyond", "late_within", "on_time"]);
  assert.ok(simulation.deliveries.length > new Set(simulation.deliveries).size, "repeats");
  const { sql, projection } = await qoeDatabase(LATENESS_SEC);
  await feed(sql, projection, logRecords(simulation.deliveries as unknown as JsonObject[], 2));

  for (const sizeSec of [60, 300]) {
    const truth = truthByWindow(simulation.sessions, sizeSec);
    const total = (key: "late_dropped" | "rebuffers" | "failures" | "exits_before_start") =>
      [...truth.values()].reduce((sum, window) => sum + window[key], 0);
    for (const key of ["late_dropped", "rebuffers", "failures", "exits_before_start"] as const) {
      assert.ok(total(key) > 0, `the simulation has ${key}`);
    }
    for (const [start, expected] of truth) {
      const [figures] = await windowInputs(sql, sketches, {
        fromMs: start,
        toMs: start + sizeSec * 1000,
      });
      const label = `${sizeSec}s window at ${new Date(start).toISOString()}`;
      assert.ok(figures, `${label}: no figures`);
      const { counters } = figures.inputs;
      assert.deepEqual(
        Object.fromEntries(EXACT.map((key) => [key, counters[key]])),
        Object.fromEntries(EXACT.map((key) => [key, expected[key]])),
        label,
      );
      assert.equal(figures.inputs.unique_viewers, expected.viewers.size, `${label}: viewers`);
      assertPercentiles(figures.inputs.vst, expected.startup_ms, label);
    }
    // Merged across every window: the sketches of all cells and windows together.
    const starts = [...truth.keys()];
    const [all] = await windowInputs(sql, sketches, {
      fromMs: Math.min(...starts),
      toMs: Math.max(...starts) + sizeSec * 1000,
    });
    assertPercentiles(all!.inputs.vst, [...truth.values()].flatMap((w) => w.startup_ms), "all");
  }
  await sql.close();
});

function assertPercentiles(
  vst: { count: number; p50: number | null; p95: number | null; p99: number | null },
  values: WindowTruth["startup_ms"],
  label: string,
) {
  assert.equal(vst.count, values.length, `${label}: start times`);
  for (const [q, estimate] of [[0.5, vst.p50], [0.95, vst.p95], [0.99, vst.p99]] as const) {
    const exact = exactQuantile(values, q);
    if (exact === null) {
      assert.equal(estimate, null);
      continue;
    }
    const error = Math.abs(estimate! - exact);
    assert.ok(
      error <= sketches.relativeAccuracy * exact + 1e-6,
      `${label} q${q}: ${estimate} vs ${exact}`,
    );
  }
}
