import assert from "node:assert/strict";
import type { EventKeys } from "../../domain/ports/recent-keys.ts";
import { runRecentKeysContract } from "../recent-keys/contract.ts";
import { MemoryRecentKeys } from "./recent-keys.ts";

Deno.test("in-memory recent keys meet the recent keys contract", async (t) => {
  await runRecentKeysContract(t, (ttlMs) => new MemoryRecentKeys(ttlMs));
});

/** Event `id` at `seq` of `session`. */
const at = (id: string, session: string, seq: number): EventKeys => ({
  event_id: id,
  session_id: session,
  seq,
});

Deno.test("in-memory recent keys forget the least recently remembered ids first", async () => {
  let now = 1_000;
  const keys = new MemoryRecentKeys(100, 3, () => now);
  // Each in a session of its own that is never asked about again: only ids are checked.
  const byId = (id: string) => at(id, `asked-${id}`, 0);
  const remembered = (id: string) => at(id, `remembered-${id}`, 0);
  await keys.remember(["a", "b", "c", "d"].map(remembered));
  assert.deepEqual(await keys.seen(["a", "b", "c", "d"].map(byId)), [false, true, true, true]);
  // Remembering an id again makes it the newest, so "c" goes next.
  await keys.remember([remembered("b")]);
  await keys.remember([remembered("e")]);
  assert.deepEqual(await keys.seen(["b", "c", "d", "e"].map(byId)), [true, false, true, true]);
  now += 101;
  assert.deepEqual(await keys.seen(["b", "d", "e"].map(byId)), [false, false, false]);
});

Deno.test("in-memory recent keys forget a whole session at a time, the least recent first", async () => {
  const keys = new MemoryRecentKeys(60_000, 4);
  let id = 0;
  const place = (session: string, seq: number) => at(`fresh-${id++}`, session, seq);
  await keys.remember([place("s1", 1), place("s1", 2), place("s2", 1), place("s2", 2)]);
  await keys.remember([place("s1", 3)]); // s1 is now the more recent; 5 places, so s2 goes
  assert.deepEqual(
    await keys.seen([place("s1", 1), place("s1", 3), place("s2", 1), place("s2", 2)]),
    [true, true, false, false],
  );
  // A session alone over the capacity is forgotten as a whole too, after the older ones: the bound
  // holds whatever the batches.
  await keys.remember([1, 2, 3, 4, 5].map((seq) => place("s3", seq)));
  assert.deepEqual(await keys.seen([place("s3", 5), place("s1", 1)]), [false, false]);
});

Deno.test("in-memory recent keys keep the newest `capacity` ids over many remembers", async () => {
  const capacity = 5;
  const keys = new MemoryRecentKeys(60_000, capacity);
  // The model: ids in remember order, newest last, an id remembered again moved to the end.
  let model: string[] = [];
  let seed = 7;
  const nextId = () => `k${(seed = (seed * 1103515245 + 12345) % 2 ** 31) % 12}`;
  // Each remembered and asked at a place of its own, so that only ids decide.
  let place = 0;
  const byId = (id: string) => at(id, "places", place++);
  for (let step = 0; step < 2_000; step++) {
    const batch = Array.from({ length: 1 + (step % 4) }, nextId);
    await keys.remember(batch.map(byId));
    for (const id of batch) model = [...model.filter((k) => k !== id), id];
    model = model.slice(-capacity);
    const all = Array.from({ length: 12 }, (_, i) => `k${i}`);
    assert.deepEqual(
      await keys.seen(all.map(byId)),
      all.map((id) => model.includes(id)),
      `step ${step}`,
    );
  }
});
