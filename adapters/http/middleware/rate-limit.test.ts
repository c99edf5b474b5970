import assert from "node:assert/strict";
import { Hono } from "hono";
import { MemoryRateLimiter } from "../../memory/rate-limiter.ts";
import { jsonLogger } from "../../logging/json-logger.ts";
import { createApp } from "../app.ts";
import { rateLimit, rateLimits } from "./rate-limit.ts";

const silentApp = (limited: Hono) =>
  createApp({
    logger: jsonLogger("silent"),
    version: "test",
    maxBodyBytes: 1024,
    readiness: {},
    features: [{ path: "/events", app: limited }],
  });

Deno.test("several limits: the first that refuses answers, named by its scope", async () => {
  const perAddress = new MemoryRateLimiter({ capacity: 3, refillPerSecond: 0.01 });
  const perUser = new MemoryRateLimiter({ capacity: 1, refillPerSecond: 0.01 });
  const app = silentApp(
    new Hono()
      .use(rateLimits([
        { limiter: perAddress, keyOf: () => "10.0.0.1", scope: "from this address" },
        { limiter: perUser, keyOf: (c) => c.req.header("x-user-id"), scope: "for this user" },
      ]))
      .post("/", (c) => c.json({ ok: true }, 202)),
  );
  const send = (headers: Record<string, string> = {}) =>
    app.request("/v1/events", { method: "POST", headers });
  assert.equal((await send({ "x-user-id": "a" })).status, 202);
  const byUser = await send({ "x-user-id": "a" });
  assert.equal(byUser.status, 429);
  assert.match((await byUser.json()).detail, /for this user/);
  // No user: only the address limit applies, and it has one token left of three.
  assert.equal((await send()).status, 202);
  const byAddress = await send({ "x-user-id": "b" });
  assert.equal(byAddress.status, 429);
  assert.match((await byAddress.json()).detail, /from this address/);
});

Deno.test("past its burst a client gets 429 with Retry-After; other clients are not affected", async () => {
  const limited = new Hono()
    .use(rateLimit({
      limiter: new MemoryRateLimiter({ capacity: 2, refillPerSecond: 0.5 }),
      keyOf: (c) => c.req.header("x-user-id"),
      scope: "per user",
    }))
    .post("/", (c) => c.json({ ok: true }, 202));
  const app = silentApp(limited);
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
