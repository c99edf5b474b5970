import assert from "node:assert/strict";
import { between, pick, randomUuid, seededRandom } from "./random.ts";

Deno.test("seededRandom repeats its sequence for a seed and stays in [0, 1)", () => {
  const first = seededRandom(42);
  const again = seededRandom(42);
  const other = seededRandom(43);
  const values = Array.from({ length: 1000 }, () => first());
  assert.deepEqual(Array.from({ length: 1000 }, () => again()), values);
  assert.notDeepEqual(Array.from({ length: 1000 }, () => other()), values);
  assert.ok(values.every((value) => value >= 0 && value < 1));
});

Deno.test("between includes both ends and nothing outside them", () => {
  const random = seededRandom(1);
  const seen = new Set(Array.from({ length: 500 }, () => between(random, 3, 6)));
  assert.deepEqual([...seen].sort(), [3, 4, 5, 6]);
});

Deno.test("pick takes every item in time", () => {
  const random = seededRandom(2);
  const seen = new Set(Array.from({ length: 200 }, () => pick(random, ["a", "b", "c"])));
  assert.equal(seen.size, 3);
});

Deno.test("randomUuid gives version 4 UUIDs, the same for the same seed", () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const random = seededRandom(3);
  const ids = Array.from({ length: 100 }, () => randomUuid(random));
  assert.ok(ids.every((id) => uuid.test(id)), ids.find((id) => !uuid.test(id)));
  assert.equal(new Set(ids).size, 100);
  assert.equal(randomUuid(seededRandom(3)), ids[0]);
});
