/**
 * Two devices of one viewer over real WebSockets (served on 127.0.0.1): what one does reaches the
 * other, not itself and not another user; across two API processes through Redis pub/sub.
 */
import assert from "node:assert/strict";
import { jsonLogger } from "../../adapters/logging/json-logger.ts";
import { MemoryPubSub } from "../../adapters/memory/pubsub.ts";
import { closeRedis, connectRedis } from "../../adapters/redis/client.ts";
import { RedisPubSub } from "../../adapters/redis/pubsub.ts";
import { runtime } from "../../adapters/runtime/deno.ts";
import { integrationTest } from "../../adapters/testing/integration.ts";
import { authOn, signedInAdmin, signedInAs } from "../../adapters/testing/auth.ts";
import { testService } from "../../adapters/testing/service.ts";
import { withTimeout } from "../../adapters/testing/with-timeout.ts";
import type { ServiceAuth } from "../../adapters/http/access.ts";
import type { PubSub } from "../../domain/ports/pubsub.ts";
import { connectDevice, playbackEvent, postEvent, type SyncDevice } from "./sync-client.ts";

/** The whole service with this pub/sub, served on a free port of 127.0.0.1. */
async function servedService(pubsub: PubSub, auth?: ServiceAuth) {
  const api = await testService({ pubsub, auth, upgradeWebSocket: runtime.upgradeWebSocket });
  const server = await runtime.serve(api.app.fetch, { host: "127.0.0.1", port: 0 });
  return { api, url: `http://127.0.0.1:${server.port}`, shutdown: () => server.shutdown() };
}

async function closeAll(devices: SyncDevice[]) {
  await Promise.all(devices.map((device) => device.close()));
}

/**
 * The scenario on two base URLs (the same process, or two): device "tv" pauses and seeks, the
 * "phone" of the same user sees both; the tv sees only the phone's position write; a third user
 * sees only their own user's state.
 */
async function pauseAndSeekReachTheOtherDevice(tvUrl: string, phoneUrl: string) {
  const user = `viewer-${crypto.randomUUID()}`;
  const stranger = `stranger-${crypto.randomUUID()}`;
  const tv = await connectDevice(tvUrl, user, "tv");
  const phone = await connectDevice(phoneUrl, user, "phone");
  const other = await connectDevice(phoneUrl, stranger, "laptop");
  try {
    const pause = playbackEvent(user, "pause", { seq: 1, position_sec: 600, device_id: "tv" });
    assert.equal(await postEvent(tvUrl, pause), 202);
    const paused = await phone.next();
    assert.equal(paused.type, "playback_state");
    assert.equal(paused.action, "pause");
    assert.equal(paused.state, "paused");
    assert.equal(paused.content_id, "episode-1");
    assert.equal(paused.position_sec, 600);
    assert.equal(paused.device_id, "tv");
    assert.equal(paused.session_id, `session-${user}`);
    assert.equal(paused.event_id, pause.event_id);
    assert.ok(typeof paused.event_time === "string");

    const seek = playbackEvent(user, "seek", { seq: 2, position_sec: 900, device_id: "tv" });
    assert.equal(await postEvent(tvUrl, seek), 202);
    const sought = await phone.next();
    assert.deepEqual([sought.action, sought.state, sought.position_sec], ["seek", "playing", 900]);

    // The phone writes a position: the tv's first message is that, never its own pause or seek.
    const put = await fetch(`${phoneUrl}/v1/me/positions/episode-1`, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-user-id": user },
      body: JSON.stringify({ position_sec: 905, client_time: Date.now(), device_id: "phone" }),
    });
    assert.equal(put.status, 202);
    await put.body?.cancel();
    const fromPhone = await tv.next();
    assert.deepEqual([
      fromPhone.action,
      fromPhone.state,
      fromPhone.position_sec,
      fromPhone.device_id,
    ], [
      "position",
      "paused",
      905,
      "phone",
    ]);

    // The stranger's first message is their own user's play, not the viewer's pause or seek.
    const play = playbackEvent(stranger, "play", { position_sec: 0, device_id: "desktop" });
    assert.equal(await postEvent(phoneUrl, play), 202);
    assert.equal((await other.next()).event_id, play.event_id);
  } finally {
    await closeAll([tv, phone, other]);
  }
}

Deno.test("one device's pause and seek reach the viewer's other device, not a stranger", async () => {
  const served = await servedService(new MemoryPubSub(jsonLogger("silent")));
  try {
    await pauseAndSeekReachTheOtherDevice(served.url, served.url);
  } finally {
    await served.shutdown();
  }
});

Deno.test("a socket opened with an access token closes when its session ends, not before", async () => {
  const auth = authOn();
  const served = await servedService(new MemoryPubSub(jsonLogger("silent")), auth);
  const devices: SyncDevice[] = [];
  try {
    const admin = await signedInAdmin(served.api, auth);
    const viewer = await signedInAs(served.api, admin, "viewer");
    const tv = await connectDevice(served.url, { accessToken: viewer.accessToken }, "tv");
    const phone = await connectDevice(served.url, { accessToken: admin.accessToken }, "phone");
    devices.push(tv, phone);
    const out = await served.api.call("POST", "/v1/auth/logout", {
      refresh_token: viewer.refreshToken,
    });
    assert.equal(out.status, 204, JSON.stringify(out.body));
    assert.deepEqual(await withTimeout(tv.closed, 5_000, "the tv's socket stayed open"), {
      code: 1008,
      reason: "the session has ended: sign in again",
    });
    // Another session's socket stays open and subscribed.
    const states = await Promise.race([phone.closed, phone.next(200).catch(() => "open")]);
    assert.equal(states, "open");
  } finally {
    await closeAll(devices);
    await served.shutdown();
  }
});

Deno.test("GET /v1/me/sync needs a user and a WebSocket upgrade", async () => {
  const api = await testService({
    pubsub: new MemoryPubSub(),
    upgradeWebSocket: runtime.upgradeWebSocket,
  });
  const anonymous = await api.call("GET", "/v1/me/sync");
  assert.equal(anonymous.status, 401);
  const plain = await api.call("GET", "/v1/me/sync", undefined, { "x-user-id": "u1" });
  assert.equal(plain.status, 426);
  assert.match(String(plain.headers.get("content-type")), /problem\+json/);
});

integrationTest({
  name: "devices on two API processes see each other through Redis pub/sub",
  requires: ["REDIS_URL"],
  fn: async ({ REDIS_URL }) => {
    const redis = await connectRedis(REDIS_URL, { name: "test" });
    const prefix = `test:${crypto.randomUUID()}:sync:`;
    const [first, second] = await Promise.all([
      RedisPubSub.open(redis, { prefix }).then(servedService),
      RedisPubSub.open(redis, { prefix }).then(servedService),
    ]);
    try {
      await pauseAndSeekReachTheOtherDevice(first.url, second.url);
    } finally {
      await Promise.all([first.shutdown(), second.shutdown()]);
      await closeRedis(redis);
    }
  },
});
