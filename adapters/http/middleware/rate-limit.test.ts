import assert from "node:assert/strict";
import { Hono } from "hono";
import { MemoryRateLimiter } from "../../memory/rate-limiter.ts";
import { jsonLogger } from "../../logging/json-logger.ts";
import { createApp } from "../app.ts";
import { rateLimit } from "./rate-limit.ts";

Deno.test("past its burst a client gets 429 with Retry-After; other clients are not affected", async () => {
  const limited = new Hono()
    .use(rateLimit({
      limiter: new MemoryRateLimiter({ capacity: 2, refillPerSecond: 0.5 }),
      keyOf: (c) => c.req.header("x-user-id"),
      scope: "per user",
    }))
    .post("/", (c) => c.json({ ok: true }, 202));
  const app = createApp({
    logger: jsonLogger("silent"),
    version: "test",
    maxBodyBytes: 1024,
    readiness: {},
    features: [{ path: "/events", app: limited }],
  });
  const send = (user: string) =>
    app.request("/v1/events", { method: "POST", headers: { "x-user-id": user } });
  assert.deepEqual([(await send("a")).status, (await send("a")).status], [202, 202]);
  const refused = await send("a");
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "2");
  assert.equal(refused.headers.get("content-type"), "application/problem+json");
  assert.match((await refused.json()).detail, /per user/);
  assert.equal((await send("b")).status, 202);
});
