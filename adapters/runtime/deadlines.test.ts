import assert from "node:assert/strict";
import { Deadlines } from "./deadlines.ts";

const timedOut = () => new Error("timed out");

Deno.test("a call that settles in time keeps its outcome", async () => {
  const deadlines = new Deadlines(5);
  assert.equal(await deadlines.within(Promise.resolve(42), 1_000, timedOut), 42);
  await assert.rejects(deadlines.within(Promise.reject(new Error("no")), 1_000, timedOut), /no/);
});

Deno.test("a call that never settles fails with the timeout's error; the others do not", async () => {
  const deadlines = new Deadlines(5);
  let answer!: (value: string) => void;
  const slow = new Promise<string>((resolve) => answer = resolve);
  const waiting = deadlines.within(slow, 60_000, timedOut);
  await assert.rejects(deadlines.within(new Promise(() => {}), 10, timedOut), /timed out/);
  answer("late but in time");
  assert.equal(await waiting, "late but in time");
});
