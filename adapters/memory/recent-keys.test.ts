import assert from "node:assert/strict";
import { runRecentKeysContract } from "../recent-keys/contract.ts";
import { MemoryRecentKeys } from "./recent-keys.ts";

Deno.test("in-memory recent keys meet the recent keys contract", async (t) => {
  await runRecentKeysContract(t, (ttlMs) => new MemoryRecentKeys(ttlMs));
});

Deno.test("in-memory recent keys forget the oldest first when full", async () => {
  let now = 1_000;
  const keys = new MemoryRecentKeys(100, 3, () => now);
  await keys.remember(["a", "b", "c", "d"]);
  assert.deepEqual(await keys.seen(["a", "b", "c", "d"]), [false, true, true, true]);
  // Remembering a key again makes it the newest, so "c" goes next.
  await keys.remember(["b"]);
  await keys.remember(["e"]);
  assert.deepEqual(await keys.seen(["b", "c", "d", "e"]), [true, false, true, true]);
  now += 101;
  assert.deepEqual(await keys.seen(["b", "d", "e"]), [false, false, false]);
});
