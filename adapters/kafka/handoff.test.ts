import assert from "node:assert/strict";
import { Handoff } from "./handoff.ts";

const never = new AbortController().signal;

Deno.test("an offer resolves once taken, before the taken batch is applied", async () => {
  const handoff = new Handoff<number>();
  const offered = handoff.offer(1);
  assert.equal(await handoff.take(never), 1);
  assert.equal(await offered, true);
});

Deno.test("recall withdraws the batches not taken and waits for the one being applied", async () => {
  const handoff = new Handoff<number>();
  const first = handoff.offer(1);
  assert.equal(await handoff.take(never), 1);
  await first;
  const second = handoff.offer(2);
  let recalled = false;
  const recall = handoff.recall().then(() => recalled = true);
  assert.equal(await second, false, "the batch not taken is withdrawn");
  await Promise.resolve();
  assert.equal(recalled, false, "batch 1 is still being applied");
  // Asking for the next batch means batch 1 is applied.
  const next = handoff.take(never);
  await recall;
  assert.equal(recalled, true);
  handoff.close();
  assert.equal(await next, undefined);
});

Deno.test("recall resolves at once when no batch is in the consumer's hands", async () => {
  const handoff = new Handoff<number>();
  await handoff.recall();
  handoff.close();
  assert.equal(await handoff.offer(1), false);
});
