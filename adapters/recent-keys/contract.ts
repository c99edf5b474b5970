/**
 * The behaviour every RecentKeys adapter must show, as test steps; each adapter's test file runs it
 * against a real store. Ids and sessions are unique per run, and times are real (Redis keeps its
 * own clock), so the time to live is short and the waits generous.
 */
import assert from "node:assert/strict";
import type { EventKeys, RecentKeys } from "../../domain/ports/recent-keys.ts";

/** Builds a store whose keys live `ttlMs`; the contract asks for one per step. */
export type RecentKeysFactory = (ttlMs: number) => RecentKeys | Promise<RecentKeys>;

const TTL_MS = 500;

export async function runRecentKeysContract(
  t: Deno.TestContext,
  open: RecentKeysFactory,
): Promise<void> {
  const run = crypto.randomUUID().slice(0, 8);
  /** An event of its own: id `name`, at seq 0 of a session of its own. */
  const event = (name: string, seq = 0): EventKeys => ({
    event_id: `contract-${run}-${name}`,
    session_id: `contract-${run}-session-${name}`,
    seq,
  });

  await t.step("remembered events are seen, others not, in the order asked", async () => {
    const keys = await open(TTL_MS);
    await keys.remember([event("a"), event("b")]);
    assert.deepEqual(await keys.seen([event("c"), event("a"), event("b"), event("a")]), [
      false,
      true,
      true,
      true,
    ]);
  });

  await t.step("an event is seen by its id alone, or by its session and seq alone", async () => {
    const keys = await open(60_000);
    const session = `contract-${run}-shared-session`;
    await keys.remember([
      { ...event("first"), session_id: session, seq: 1 },
      { ...event("second"), session_id: session, seq: 2 },
    ]);
    assert.deepEqual(
      await keys.seen([
        { ...event("first"), session_id: `${session}-other`, seq: 9 }, // same id
        { ...event("retry"), session_id: session, seq: 2 }, // same place
        { ...event("next"), session_id: session, seq: 3 }, // next seq of the session
        { ...event("elsewhere"), session_id: `${session}-other`, seq: 1 }, // seq 1 of another
      ]),
      [true, true, false, false],
    );
  });

  await t.step("events are forgotten once their time to live has passed", async () => {
    const keys = await open(TTL_MS);
    await keys.remember([event("expiring")]);
    assert.deepEqual(await keys.seen([event("expiring")]), [true]);
    await sleep(TTL_MS + 150);
    assert.deepEqual(await keys.seen([event("expiring")]), [false]);
  });

  await t.step("remembering an event again restarts its time to live", async () => {
    const ttlMs = 2 * TTL_MS;
    const keys = await open(ttlMs);
    await keys.remember([event("renewed"), event("once")]);
    await sleep(ttlMs / 2);
    await keys.remember([event("renewed")]);
    // Now 1.25 ttl after the first remember and 0.75 after the second: a quarter either side.
    await sleep(ttlMs * 0.75);
    assert.deepEqual(await keys.seen([event("renewed"), event("once")]), [true, false]);
  });

  await t.step("empty batches and repeated events are fine", async () => {
    const keys = await open(TTL_MS);
    await keys.remember([]);
    assert.deepEqual(await keys.seen([]), []);
    await keys.remember([event("twice"), event("twice")]);
    assert.deepEqual(await keys.seen([event("twice")]), [true]);
  });

  await t.step("ids and sessions of any text, and large batches, are kept apart", async () => {
    const keys = await open(60_000);
    const odd = ["sess:1/seq:2", "with space", "Ünïcödé 🎬", "*?[x]", "\n", ""].map((name) =>
      event(name)
    );
    await keys.remember(odd);
    assert.deepEqual(await keys.seen(odd), odd.map(() => true));
    assert.deepEqual(await keys.seen([event("sess:1/seq:3"), event("*")]), [false, false]);
    // One session's 2,000 seqs, every other one remembered.
    const many = Array.from(
      { length: 2_000 },
      (_, i) => ({ ...event("many", i), event_id: event(`many-${i}`).event_id }),
    );
    await keys.remember(many.filter((_, i) => i % 2 === 0));
    const seen = await keys.seen(many);
    assert.deepEqual(seen, many.map((_, i) => i % 2 === 0));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
