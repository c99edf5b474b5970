import assert from "node:assert/strict";
import { Hono } from "hono";
import type { RequestAccess } from "../../../commands/identity.ts";
import { jwtAccessTokens } from "../../auth/jwt-access-tokens.ts";
import { MemoryEndedSessions } from "../../memory/ended-sessions.ts";
import { connectRedis } from "../../redis/client.ts";
import { RedisEndedSessions } from "../../redis/ended-sessions.ts";
import { TEST_SIGNING_KEY } from "../../testing/auth.ts";
import { integrationTest } from "../../testing/integration.ts";
import { type AuthMode, identify } from "./identity.ts";

const tokens = jwtAccessTokens({ keys: [TEST_SIGNING_KEY], ttlSec: 300 });
const viewer = { userId: "u-1", profileId: "default", role: "viewer" as const, sessionId: "s-1" };

/** What the middleware decided for a request with `token`. */
async function accessFor(auth: AuthMode, token: string): Promise<RequestAccess> {
  let access: RequestAccess | undefined;
  const app = new Hono<{ Variables: { access: RequestAccess } }>()
    .use(identify(auth))
    .get("/", (c) => {
      access = c.var.access;
      return c.body(null, 204);
    });
  await app.request("/", { headers: { authorization: `Bearer ${token}` } });
  return access!;
}

Deno.test("an access token of an ended session is refused, others pass", async () => {
  const endedSessions = new MemoryEndedSessions(300_000);
  const auth: AuthMode = { mode: "on", tokens, endedSessions };
  const { token } = await tokens.issue(viewer);
  const { token: other } = await tokens.issue({ ...viewer, sessionId: "s-2" });
  assert.equal((await accessFor(auth, token)).identity?.userId, "u-1");
  await endedSessions.end(["s-1"]);
  const refused = await accessFor(auth, token);
  assert.equal(refused.identity, undefined);
  assert.match(refused.refusal ?? "", /session of this access token has ended/);
  assert.equal((await accessFor(auth, other)).identity?.sessionId, "s-2");
});

integrationTest({
  name: "an outage of the ended-sessions store lets valid tokens through",
  requires: ["REDIS_URL"],
  fn: async ({ REDIS_URL }) => {
    const cutOff = await connectRedis(REDIS_URL, { name: "test-cut-off" });
    cutOff.disconnect();
    const auth: AuthMode = {
      mode: "on",
      tokens,
      endedSessions: new RedisEndedSessions(cutOff, { ttlMs: 300_000 }),
    };
    const { token } = await tokens.issue(viewer);
    assert.deepEqual((await accessFor(auth, token)).identity, viewer);
  },
});
