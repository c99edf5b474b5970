import assert from "node:assert/strict";
import { integrationTest } from "../testing/integration.ts";
import { closeRedis, connectRedis } from "./client.ts";
import { RedisLeases } from "./leases.ts";
import { withRedisPrefix } from "./testing.ts";

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

integrationTest({
  name: "Redis leases: one holder at a time; released, the name is free again",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      const leases = new RedisLeases(client, { prefix, ttlMs: 300 });
      const first = await leases.take("upload-1");
      assert.ok(first);
      assert.equal(await leases.take("upload-1"), undefined);
      assert.ok(await leases.take("upload-2"), "another name is free");

      await delay(700); // more than twice the lifetime: the holder keeps it alive
      assert.equal(await leases.take("upload-1"), undefined);

      await first.release();
      await first.release(); // again: nothing
      const second = await leases.take("upload-1");
      assert.ok(second);
      await second.release();
    }),
});

integrationTest({
  name:
    "Redis leases: a dead holder's lease expires; a lapsed one is reported lost and not taken back",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      // The holder's process dies: its connection goes, nothing extends the lease.
      const doomed = await connectRedis(REDIS_URL, { name: "test-doomed" });
      let doomedLost = false;
      const orphan = await new RedisLeases(doomed, { prefix, ttlMs: 300 }).take("upload-1", () => {
        doomedLost = true;
      });
      assert.ok(orphan);
      doomed.disconnect();
      const leases = new RedisLeases(client, { prefix, ttlMs: 300 });
      assert.equal(await leases.take("upload-1"), undefined);
      await delay(400);
      let lost = 0;
      const taker = await leases.take("upload-1", () => lost++);
      assert.ok(taker, "free once the dead holder's lease expired");
      await delay(400);
      assert.ok(doomedLost, "the cut-off holder learns it lost the lease");

      // Someone else's lease under the same name (ours lapsed and was taken): ours is lost at the
      // next extension, and releasing ours leaves theirs alone.
      await client.set(`${prefix}upload-1`, "someone-else");
      await delay(250);
      assert.equal(lost, 1);
      await taker.release();
      assert.equal(await client.get(`${prefix}upload-1`), "someone-else");
      await closeRedis(doomed);
    }),
});
