import { runEndedSessionsContract } from "../ended-sessions/contract.ts";
import { integrationTest } from "../testing/integration.ts";
import { RedisEndedSessions } from "./ended-sessions.ts";
import { withRedisPrefix } from "./testing.ts";

integrationTest({
  name: "Redis ended sessions meet the contract",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }, t) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      await runEndedSessionsContract(
        t,
        (ttlMs) => new RedisEndedSessions(client, { prefix, ttlMs }),
      );
    }),
});
