/**
 * The kafkajs patch of ops/patches/apply.mjs: a connection's request queue arms no timer while
 * nothing is pending (unpatched, it re-armed one every millisecond for the connection's life).
 */
import assert from "node:assert/strict";
import { Kafka, logLevel } from "kafkajs";
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";

function queue() {
  const kafka = new Kafka({
    clientId: "test",
    brokers: ["127.0.0.1:9"],
    logLevel: logLevel.NOTHING,
  });
  return new RequestQueue({
    clientId: "test",
    broker: "127.0.0.1:9",
    logger: kafka.logger(),
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: true,
  });
}

Deno.test("an empty, unthrottled request queue arms no timer when checked", () => {
  const requests = queue();
  requests.checkPendingRequests();
  assert.equal(requests.throttleCheckTimeoutId, null);
  requests.destroy();
});

Deno.test("a throttled request queue still checks its pending requests later", () => {
  const requests = queue();
  requests.throttledUntil = Date.now() + 60_000;
  requests.pending.push({ correlationId: 1 });
  requests.scheduleCheckPendingRequests();
  assert.notEqual(requests.throttleCheckTimeoutId, null);
  requests.destroy();
});
