import assert from "node:assert/strict";
import { ERRORS } from "@tus/server";
import { RedisLeases } from "../redis/leases.ts";
import { RedisPubSub } from "../redis/pubsub.ts";
import { withRedisPrefix } from "../redis/testing.ts";
import { integrationTest } from "../testing/integration.ts";
import { SharedLocker } from "./shared-locker.ts";

integrationTest({
  name: "shared tus locker: a waiter asks the holder to let go, then gets the lock; or times out",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      // Two API processes: each its own pub/sub connection, the same lease namespace.
      const pubsubs = [
        await RedisPubSub.open(client, { prefix: `${prefix}sync:` }),
        await RedisPubSub.open(client, { prefix: `${prefix}sync:` }),
      ] as const;
      const leases = new RedisLeases(client, { prefix: `${prefix}lease:` });
      const locker = (pubsub: RedisPubSub) =>
        new SharedLocker({ leases, pubsub, acquireTimeoutMs: 500, retryMs: 20 });
      const [here, there] = [locker(pubsubs[0]), locker(pubsubs[1])];
      try {
        const holder = here.newLock("upload-1");
        const events: string[] = [];
        await holder.lock(new AbortController().signal, async () => {
          events.push("release requested");
          await holder.unlock();
        });
        const waiter = there.newLock("upload-1");
        await waiter.lock(new AbortController().signal, () => {});
        events.push("waiter holds it");
        assert.deepEqual(events, ["release requested", "waiter holds it"]);

        // A holder that does not let go: the waiter gives up after its timeout.
        const other = here.newLock("upload-1");
        await assert.rejects(
          other.lock(new AbortController().signal, () => {}),
          (error) => error === ERRORS.ERR_LOCK_TIMEOUT,
        );
        // A stopped request stops waiting at once.
        const stop = new AbortController();
        const stopped = other.lock(stop.signal, () => {});
        stop.abort();
        await assert.rejects(stopped, (error) => error === ERRORS.ERR_LOCK_TIMEOUT);

        await waiter.unlock();
        await other.lock(new AbortController().signal, () => {});
        await other.unlock();
        await assert.rejects(other.unlock(), /not held/);
      } finally {
        await Promise.all(pubsubs.map((pubsub) => pubsub.close()));
      }
    }),
});
