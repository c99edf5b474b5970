import assert from "node:assert/strict";
import { laneOf } from "./seed.ts";

Deno.test("laneOf keeps a stream on one lane and spreads streams over all of them", () => {
  assert.equal(laneOf("video-1", 8), laneOf("video-1", 8));
  const lanes = new Set(Array.from({ length: 200 }, (_, index) => laneOf(`video-${index}`, 8)));
  assert.deepEqual([...lanes].sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(laneOf("anything", 1), 0);
});
