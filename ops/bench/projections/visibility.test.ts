import assert from "node:assert/strict";
import { latencyOf } from "./visibility.ts";

Deno.test("latency runs from acknowledgement, 0 when the row showed first, and from call", () => {
  const samples = [
    { id: "a", called: 0, acknowledged: 2, visible: 10 },
    { id: "b", called: 0, acknowledged: 4, visible: 3 },
    { id: "c", called: 1, acknowledged: 3, visible: 33 },
  ];
  assert.deepEqual(latencyOf(samples), { p50: 8, p99: 30, callP50: 10, callP99: 32 });
});
