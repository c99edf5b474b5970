/**
 * The behaviour every RecentKeys adapter must show, as test steps; each adapter's test file runs it
 * against a real store. Keys are unique per run, and times are real (Redis keeps its own clock),
 * so the time to live is short and the waits generous.
 */
import assert from "node:assert/strict";
import type { RecentKeys } from "../../domain/ports/recent-keys.ts";

/** Builds a store whose keys live `ttlMs`; the contract asks for one per step. */
export type RecentKeysFactory = (ttlMs: number) => RecentKeys | Promise<RecentKeys>;

const TTL_MS = 500;

export async function runRecentKeysContract(
  t: Deno.TestContext,
  open: RecentKeysFactory,
): Promise<void> {
  const run = crypto.randomUUID().slice(0, 8);
  const key = (name: string) => `contract-${run}-${name}`;

  await t.step("remembered keys are seen, others not, in the order asked", async () => {
    const keys = await open(TTL_MS);
    await keys.remember([key("a"), key("b")]);
    assert.deepEqual(await keys.seen([key("c"), key("a"), key("b"), key("a")]), [
      false,
      true,
      true,
      true,
    ]);
  });

  await t.step("keys are forgotten once their time to live has passed", async () => {
    const keys = await open(TTL_MS);
    await keys.remember([key("expiring")]);
    assert.deepEqual(await keys.seen([key("expiring")]), [true]);
    await sleep(TTL_MS + 150);
    assert.deepEqual(await keys.seen([key("expiring")]), [false]);
  });

  await t.step("remembering a key again restarts its time to live", async () => {
    const ttlMs = 2 * TTL_MS;
    const keys = await open(ttlMs);
    await keys.remember([key("renewed"), key("once")]);
    await sleep(ttlMs / 2);
    await keys.remember([key("renewed")]);
    // Now 1.25 ttl after the first remember and 0.75 after the second: a quarter either side.
    await sleep(ttlMs * 0.75);
    assert.deepEqual(await keys.seen([key("renewed"), key("once")]), [true, false]);
  });

  await t.step("empty batches and repeated keys are fine", async () => {
    const keys = await open(TTL_MS);
    await keys.remember([]);
    assert.deepEqual(await keys.seen([]), []);
    await keys.remember([key("twice"), key("twice")]);
    assert.deepEqual(await keys.seen([key("twice")]), [true]);
  });

  await t.step("keys of any text, and large batches, are kept apart", async () => {
    const keys = await open(60_000);
    const odd = ["sess:1/seq:2", "with space", "Ünïcödé 🎬", "*?[x]", "\n", ""].map(key);
    await keys.remember(odd);
    assert.deepEqual(await keys.seen(odd), odd.map(() => true));
    assert.deepEqual(await keys.seen([key("sess:1/seq:3"), key("*")]), [false, false]);
    const many = Array.from({ length: 2_000 }, (_, i) => key(`event-${i}`));
    await keys.remember(many.filter((_, i) => i % 2 === 0));
    const seen = await keys.seen(many);
    assert.deepEqual(seen, many.map((_, i) => i % 2 === 0));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
