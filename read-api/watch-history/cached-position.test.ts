/**
 * Positions through the Redis positions cache: a write is visible to the next read at once, an
 * older write does not move it back, a miss and an outage read the read model, and the answers
 * are the read model's once it has caught up.
 */
import assert from "node:assert/strict";
import { connectRedis } from "../../adapters/redis/client.ts";
import { RedisPositionsCache } from "../../adapters/redis/positions-cache.ts";
import { deleteKeys, withRedisPrefix } from "../../adapters/redis/testing.ts";
import { integrationTest } from "../../adapters/testing/integration.ts";
import { type TestService, testService } from "../../adapters/testing/service.ts";
import { scriptedViewer } from "./viewer-script.ts";

const plain = await testService();

async function movie(api: TestService): Promise<string> {
  const created = await api.call("POST", "/v1/videos", {
    content_type: "movie",
    title: "Arrival",
    duration_sec: 3_000,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await api.settled();
  return created.body.id as string;
}

function putPosition(api: TestService, user: string, id: string, sec: number, at: number) {
  return api.call("PUT", `/v1/me/positions/${id}`, { position_sec: sec, client_time: at }, {
    "x-user-id": user,
  });
}

integrationTest({
  name: "positions cache: a PUT is visible at once, older writes do not win, answers match SQL",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      const cached = await testService({
        positionsCache: new RedisPositionsCache(client, { prefix }),
      });
      const id = await movie(cached);
      const viewer = scriptedViewer(cached);
      const user = viewer.headers["x-user-id"]!;
      await viewer.play(id, { toSec: 480, durationSec: 3_000 });

      const now = Date.now();
      assert.equal((await putPosition(cached, user, id, 1_500, now)).status, 202);
      const seen = await viewer.get(`/v1/me/positions/${id}`); // no waiting for the projection
      assert.deepEqual([seen.status, seen.body.position_sec], [200, 1_500]);
      assert.equal((await putPosition(cached, user, id, 100, now - 60_000)).status, 202);
      assert.equal((await viewer.get(`/v1/me/positions/${id}`)).body.position_sec, 1_500);

      await cached.settled();
      const fromSql = await plain.call("GET", `/v1/me/positions/${id}`, undefined, viewer.headers);
      assert.equal(fromSql.body.position_sec, 1_500);
      assert.deepEqual((await viewer.get(`/v1/me/positions/${id}`)).body, fromSql.body);
      await deleteKeys(client, prefix); // a miss: read from SQL, then cached again
      assert.deepEqual((await viewer.get(`/v1/me/positions/${id}`)).body, fromSql.body);
      assert.equal((await client.keys(`${prefix}*`)).length, 1);
      const never = await viewer.get(`/v1/me/positions/${crypto.randomUUID()}`);
      assert.equal(never.status, 404);
    }),
});

integrationTest({
  name: "positions cache: with Redis down, writes are accepted and reads come from SQL",
  requires: ["REDIS_URL"],
  fn: async ({ REDIS_URL }) => {
    const client = await connectRedis(REDIS_URL, { name: "test-outage" });
    client.disconnect(); // no connection, and none coming back
    const cached = await testService({
      positionsCache: new RedisPositionsCache(client, { prefix: `test:${crypto.randomUUID()}:` }),
    });
    const id = await movie(cached);
    const user = crypto.randomUUID();
    assert.equal((await putPosition(cached, user, id, 700, Date.now())).status, 202);
    await cached.settled();
    const answer = await cached.call("GET", `/v1/me/positions/${id}`, undefined, {
      "x-user-id": user,
    });
    assert.deepEqual([answer.status, answer.body.position_sec], [200, 700]);
  },
});
