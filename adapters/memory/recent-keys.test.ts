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

Deno.test("in-memory recent keys keep the newest `capacity` keys over many remembers", async () => {
  const capacity = 5;
  const keys = new MemoryRecentKeys(60_000, capacity);
  // The model: keys in remember order, newest last, a key remembered again moved to the end.
  let model: string[] = [];
  let seed = 7;
  const nextKey = () => `k${(seed = (seed * 1103515245 + 12345) % 2 ** 31) % 12}`;
  for (let step = 0; step < 2_000; step++) {
    const batch = Array.from({ length: 1 + (step % 4) }, nextKey);
    await keys.remember(batch);
    for (const key of batch) model = [...model.filter((k) => k !== key), key];
    model = model.slice(-capacity);
    const all = Array.from({ length: 12 }, (_, i) => `k${i}`);
    assert.deepEqual(await keys.seen(all), all.map((key) => model.includes(key)), `step ${step}`);
  }
});
