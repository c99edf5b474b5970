import assert from "node:assert/strict";
import { RESULT_COLUMNS, resultCells } from "./result.ts";

const row = {
  engine: "PGlite",
  case: "catalog rebuild",
  events: 20_000,
  seconds: 0.5,
  baseline: { name: "bare readAll", events: 20_000, seconds: 0.25 },
  latency: null,
  target: "≥ 50,000 events/s",
  met: false,
};

Deno.test("a row reads as its rate, the baseline's and their ratio", () => {
  const cells = resultCells(row);
  assert.equal(cells.length, RESULT_COLUMNS.length);
  assert.deepEqual(cells, [
    "PGlite",
    "catalog rebuild",
    "20,000",
    "0.500",
    "40,000",
    "bare readAll",
    "80,000",
    "0.50x",
    "—",
    "≥ 50,000 events/s",
    "**no**",
  ]);
});

Deno.test("a latency row has no baseline and shows both latencies", () => {
  const latency = { p50: 3.25, p99: 12, callP50: 5, callP99: 15.04 };
  const cells = resultCells({ ...row, baseline: null, latency, met: null });
  assert.deepEqual(cells.slice(5), [
    "—",
    "—",
    "—",
    "3.3 / 12.0 ms (5.0 / 15.0 ms)",
    "≥ 50,000 events/s",
    "—",
  ]);
});
