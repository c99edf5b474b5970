import assert from "node:assert/strict";
import { createServer, type Server, Socket } from "node:net";
import { ReplyError } from "ioredis";
import { BackingServiceUnavailableError } from "../../domain/ports/unavailable.ts";
import { integrationTest } from "../testing/integration.ts";
import { closeRedis, connectRedis, redisUnavailable, RedisUnavailableError } from "./client.ts";
import { RedisPubSub } from "./pubsub.ts";
import { RedisRateLimiter } from "./rate-limiter.ts";
import { RedisRecentKeys } from "./recent-keys.ts";
import { withRedisPrefix } from "./testing.ts";

Deno.test("connection failures are unavailability, reply errors mostly are not", () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
    code: "ECONNREFUSED",
  });
  for (
    const error of [
      refused,
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      new Error("Connection is closed."),
      new Error("Command timed out"),
      new ReplyError("LOADING Redis is loading the dataset in memory"),
    ]
  ) {
    const mapped = redisUnavailable(error);
    assert.ok(mapped instanceof RedisUnavailableError, error.message);
    assert.ok(mapped instanceof BackingServiceUnavailableError);
    assert.equal(mapped.cause, error);
  }
  for (
    const error of [new ReplyError("WRONGTYPE Operation against a key"), new TypeError("x"), 42]
  ) {
    assert.equal(redisUnavailable(error), undefined);
  }
});

Deno.test("connecting to a server that is not there fails fast and typed", async () => {
  const started = performance.now();
  await assert.rejects(
    connectRedis("redis://127.0.0.1:1", { connectTimeoutMs: 300 }),
    RedisUnavailableError,
  );
  assert.ok(performance.now() - started < 1_000);
});

integrationTest({
  name: "during a Redis outage every adapter fails fast with RedisUnavailableError, then recovers",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withRedisPrefix(REDIS_URL, async (_, prefix) => {
      const proxy = await tcpProxy(new URL(REDIS_URL));
      const client = await connectRedis(`redis://127.0.0.1:${proxy.port}`, { name: "test-proxy" });
      const pubsub = await RedisPubSub.open(client, { prefix });
      const limiter = new RedisRateLimiter(client, { capacity: 5, refillPerSecond: 1 }, {
        prefix: `${prefix}rate:`,
      });
      const keys = new RedisRecentKeys(client, { prefix: `${prefix}seen:` });
      let round = 0;
      const calls = () => [
        limiter.take("outage"),
        keys.seen([eventKeys("outage")]),
        keys.remember([eventKeys("outage")]),
        pubsub.publish("outage", {}),
        // A channel of its own each round: joining a channel already subscribed needs no Redis.
        pubsub.subscribe(`outage-${round++}`, () => {}),
      ];
      try {
        await Promise.all(calls());
        proxy.down();
        await sleep(50);
        const started = performance.now();
        for (const outcome of await Promise.allSettled(calls())) {
          assert.equal(outcome.status, "rejected");
          assert.ok(outcome.reason instanceof RedisUnavailableError, String(outcome.reason));
        }
        assert.ok(performance.now() - started < 100, "no call waits for the outage to end");
        await proxy.up();
        // Both connections (commands, subscriber) reconnect on their own.
        await eventually(() => Promise.all(calls()));
      } finally {
        await pubsub.close();
        await closeRedis(client);
        proxy.down();
      }
    }),
});

integrationTest({
  name: "an operation Redis does not answer fails as unavailable; the connection goes on after",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withRedisPrefix(REDIS_URL, async (_, prefix) => {
      const proxy = await tcpProxy(new URL(REDIS_URL));
      const client = await connectRedis(`redis://127.0.0.1:${proxy.port}`, { name: "test-stall" });
      const keys = new RedisRecentKeys(client, { prefix: `${prefix}seen:` });
      try {
        await keys.remember([eventKeys("stalled")]);
        proxy.stall(true);
        await assert.rejects(keys.seen([eventKeys("stalled")]), RedisUnavailableError);
        proxy.stall(false);
        // The late reply goes to the call that gave up on it; the next call gets its own.
        assert.deepEqual(await keys.seen([eventKeys("stalled"), eventKeys("never")]), [
          true,
          false,
        ]);
      } finally {
        await closeRedis(client);
        proxy.down();
      }
    }),
});

/**
 * A TCP relay to `target` that can drop every connection and refuse new ones, then come back, or
 * stall (hold what either side sends) and go on.
 */
async function tcpProxy(target: URL) {
  const sockets = new Set<Socket>();
  const listen = (port: number) =>
    new Promise<Server>((resolve) => {
      const server = createServer((inbound) => {
        const outbound = new Socket().connect(Number(target.port), target.hostname);
        for (const [from, to] of [[inbound, outbound], [outbound, inbound]] as const) {
          sockets.add(from);
          from.pipe(to);
          from.on("error", () => to.destroy());
          from.on("close", () => (sockets.delete(from), to.destroy()));
        }
      });
      server.listen(port, "127.0.0.1", () => resolve(server));
    });
  let server = await listen(0);
  const port = (server.address() as { port: number }).port;
  return {
    port,
    down: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
    up: async () => void (server = await listen(port)),
    stall: (on: boolean) => sockets.forEach((socket) => on ? socket.pause() : socket.resume()),
  };
}

/** Retries `work` until it succeeds, for at most `timeoutMs`. */
async function eventually(work: () => Promise<unknown>, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (true) {
    try {
      return void await work();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An event's keys, all named `name`. */
const eventKeys = (name: string) => ({ event_id: name, session_id: name, seq: 0 });
