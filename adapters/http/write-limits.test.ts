import assert from "node:assert/strict";
import { MemoryRateLimiter } from "../memory/rate-limiter.ts";
import { testService } from "../testing/service.ts";

Deno.test("every write draws from the user's bucket: past it 429 with Retry-After; reads are free", async () => {
  const api = await testService({
    writeLimits: {
      perUser: new MemoryRateLimiter({ capacity: 2, refillPerSecond: 1 }),
      perAddress: new MemoryRateLimiter({ capacity: 100, refillPerSecond: 1 }),
    },
  });
  const user = { "x-user-id": crypto.randomUUID() };
  const movie = { content_type: "movie", title: "Heat" };
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    statuses.push((await api.call("POST", "/v1/videos", movie, user)).status);
  }
  assert.deepEqual(statuses, [201, 201, 429]);
  const limited = await api.call(
    "PUT",
    "/v1/me/positions/x",
    { position_sec: 1, client_time: 1 },
    user,
  );
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get("retry-after")) >= 1);
  assert.match(limited.body.detail as string, /for this user/);
  assert.equal((await api.call("GET", "/v1/videos", undefined, user)).status, 200);
  const other = { "x-user-id": crypto.randomUUID() };
  assert.equal((await api.call("POST", "/v1/videos", movie, other)).status, 201);
});
