/** The behaviour every EndedSessions adapter must show, as test steps against a real store. */
import assert from "node:assert/strict";
import type { EndedSessions } from "../../domain/ports/ended-sessions.ts";

/** Builds a store that remembers ended sessions for `ttlMs`. */
export type EndedSessionsFactory = (ttlMs: number) => EndedSessions | Promise<EndedSessions>;

export async function runEndedSessionsContract(
  t: Deno.TestContext,
  open: EndedSessionsFactory,
): Promise<void> {
  const session = (name: string) => `contract-${crypto.randomUUID()}-${name}`;

  await t.step("ended sessions are known, others not", async () => {
    const ended = await open(60_000);
    const [a, b, c] = [session("a"), session("b"), session("c")];
    await ended.end([a, b]);
    await ended.end([]);
    assert.deepEqual(await Promise.all([a, b, c].map((id) => ended.has(id))), [true, true, false]);
  });

  await t.step("an ended session is forgotten once no access token can outlive it", async () => {
    const ended = await open(300);
    const [early, late] = [session("early"), session("late")];
    await ended.end([early]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await ended.end([late]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await ended.has(early), false);
    assert.equal(await ended.has(late), true);
  });
}
