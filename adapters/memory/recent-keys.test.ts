import assert from "node:assert/strict";
import { MemoryRecentKeys } from "./recent-keys.ts";

Deno.test("remembered keys are seen until they expire, and the oldest go first when full", async () => {
  let now = 1_000;
  const keys = new MemoryRecentKeys(100, 3, () => now);
  await keys.remember(["a", "b"]);
  assert.deepEqual(await keys.seen(["a", "b", "c"]), [true, true, false]);
  now += 101;
  assert.deepEqual(await keys.seen(["a", "b"]), [false, false]);
  await keys.remember(["a", "b", "c", "d"]);
  assert.deepEqual(await keys.seen(["a", "b", "c", "d"]), [false, true, true, true]);
});
