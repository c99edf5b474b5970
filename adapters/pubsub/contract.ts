/**
 * The behaviour every PubSub adapter must show, as test steps; each adapter's test file runs it.
 * `peer` is a second instance on the same broker, standing for another API process (the memory
 * adapter, reaching one process only, passes itself). Channels are unique per run. The last step
 * closes `pubsub`.
 */
import assert from "node:assert/strict";
import type { JsonObject } from "../../domain/ports/event-store.ts";
import type { PubSub, Unsubscribe } from "../../domain/ports/pubsub.ts";

/** What the contract measured: publish-to-delivery times from `peer` to `pubsub`, in ms. */
export interface PubSubContractReport {
  latenciesMs: number[];
}

export async function runPubSubContract(
  t: Deno.TestContext,
  pubsub: PubSub,
  peer: PubSub,
): Promise<PubSubContractReport> {
  const run = crypto.randomUUID().slice(0, 8);
  const channel = (name: string) => `contract-${run}-${name}`;
  const report: PubSubContractReport = { latenciesMs: [] };

  await t.step("a subscriber gets the messages of its channel only, in order", async () => {
    const a = await inbox(pubsub, channel("a"));
    const b = await inbox(pubsub, channel("b"));
    for (let seq = 0; seq < 20; seq++) {
      await pubsub.publish(channel(seq % 2 ? "b" : "a"), { seq });
    }
    assert.deepEqual((await a.until(10)).map((m) => m.seq), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    assert.deepEqual((await b.until(10)).map((m) => m.seq), [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    await Promise.all([a.stop(), b.stop()]);
  });

  await t.step("every subscriber gets every message, in this process and another", async () => {
    const inboxes = [
      await inbox(pubsub, channel("fan-out")),
      await inbox(pubsub, channel("fan-out")),
      await inbox(peer, channel("fan-out")),
    ];
    for (let seq = 0; seq < 5; seq++) await peer.publish(channel("fan-out"), { seq });
    for (const box of inboxes) {
      assert.deepEqual((await box.until(5)).map((m) => m.seq), [0, 1, 2, 3, 4]);
    }
    await Promise.all(inboxes.map((box) => box.stop()));
  });

  await t.step("unsubscribe stops delivery to that subscriber only", async () => {
    const [gone, staying] = [
      await inbox(pubsub, channel("leave")),
      await inbox(pubsub, channel("leave")),
    ];
    await gone.stop();
    await gone.stop(); // a second call does nothing
    await pubsub.publish(channel("leave"), { seq: 1 });
    await staying.until(1);
    await sleep(50);
    assert.equal(gone.messages.length, 0);
    // With the last subscriber gone the channel may be left; a new subscriber joins it again.
    await staying.stop();
    const again = await inbox(pubsub, channel("leave"));
    await pubsub.publish(channel("leave"), { seq: 2 });
    assert.deepEqual(await again.until(1), [{ seq: 2 }]);
    await again.stop();
  });

  await t.step("a failing handler does not keep the message from the others", async () => {
    const unsubscribers = [
      await pubsub.subscribe(channel("faulty"), () => {
        throw new Error("handler failed");
      }),
      await pubsub.subscribe(channel("faulty"), () => Promise.reject(new Error("async failure"))),
    ];
    const healthy = await inbox(pubsub, channel("faulty"));
    await pubsub.publish(channel("faulty"), { seq: 1 });
    await pubsub.publish(channel("faulty"), { seq: 2 });
    assert.deepEqual((await healthy.until(2)).map((m) => m.seq), [1, 2]);
    await Promise.all([...unsubscribers.map((stop) => stop()), healthy.stop()]);
  });

  await t.step("messages travel as JSON; each subscriber gets its own copy", async () => {
    const message = { title: "Amélie · 千と千尋 · 🎬", nested: { list: [1, null, true, "x"] } };
    const mutating = await pubsub.subscribe(channel("json"), (m) => void (m.title = "changed"));
    const reader = await inbox(pubsub, channel("json"));
    await peer.publish(channel("json"), message);
    assert.deepEqual(await reader.until(1), [message]);
    await Promise.all([mutating(), reader.stop()]);
    await assert.rejects(pubsub.publish(channel("json"), [] as unknown as JsonObject), TypeError);
    await assert.rejects(pubsub.publish("", {}), TypeError);
    await assert.rejects(pubsub.subscribe("", () => {}), TypeError);
  });

  await t.step("a message from another process arrives within a moment", async () => {
    const box = await inbox(pubsub, channel("latency"));
    for (let seq = 0; seq < 20; seq++) {
      const sent = performance.now();
      await peer.publish(channel("latency"), { seq });
      await box.until(seq + 1);
      report.latenciesMs.push(performance.now() - sent);
    }
    await box.stop();
    // The target is well under 100 ms; the bound is loose so a busy CI machine does not fail.
    assert.ok(Math.max(...report.latenciesMs) < 2_000, `${report.latenciesMs}`);
  });

  await t.step("close ends the subscriptions and publishing fails afterwards", async () => {
    await inbox(pubsub, channel("closing"));
    await pubsub.close();
    await assert.rejects(pubsub.publish(channel("closing"), {}));
    await assert.rejects(pubsub.subscribe(channel("closing"), () => {}));
  });
  return report;
}

/** The messages a subscription received so far, and a way to wait for more. */
async function inbox(pubsub: PubSub, channel: string) {
  const messages: JsonObject[] = [];
  let wake = () => {};
  const stop: Unsubscribe = await pubsub.subscribe(channel, (message) => {
    messages.push(message);
    wake();
  });
  /** Waits until `count` messages are there (2 s at most) and returns them. */
  const until = async (count: number): Promise<JsonObject[]> => {
    const deadline = performance.now() + 2_000;
    while (messages.length < count) {
      const left = deadline - performance.now();
      if (left <= 0) assert.fail(`got ${messages.length} of ${count} messages on ${channel}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => (clearTimeout(timer), resolve());
      });
    }
    return messages;
  };
  return { messages, until, stop };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
