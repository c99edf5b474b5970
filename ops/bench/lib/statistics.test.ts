import assert from "node:assert/strict";
import { median, percentile } from "./statistics.ts";

Deno.test("percentile takes the nearest rank of the sorted values", () => {
  const values = Array.from({ length: 100 }, (_, index) => 100 - index);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile(values, 99.5), 100);
  assert.equal(percentile([3, 1, 2], 34), 2);
});

Deno.test("percentile clamps ranks to the smallest and the largest value", () => {
  assert.equal(percentile([5, 1, 9], 0), 1);
  assert.equal(percentile([5, 1, 9], -10), 1);
  assert.equal(percentile([5, 1, 9], 100), 9);
  assert.equal(percentile([5, 1, 9], 150), 9);
});

Deno.test("percentile of one value is that value, of none NaN", () => {
  assert.equal(percentile([7], 1), 7);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.ok(Number.isNaN(median([])));
});

Deno.test("percentile leaves its input in place", () => {
  const values = [3, 1, 2];
  percentile(values, 50);
  assert.deepEqual(values, [3, 1, 2]);
});

Deno.test("median is the middle value, the lower middle for an even count", () => {
  assert.equal(median([9, 1, 5]), 5);
  assert.equal(median([4, 1, 3, 2]), 2);
  assert.equal(median([2, 2, 1, 1]), 1);
  assert.equal(median([0.25, 0.125]), 0.125);
});
