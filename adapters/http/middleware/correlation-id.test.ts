import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { jsonLogger } from "../../logging/json-logger.ts";
import { testService } from "../../testing/service.ts";

function appLogging(lines: Record<string, unknown>[]) {
  return createApp({
    logger: jsonLogger("info", {}, (line) => lines.push(JSON.parse(line))),
    features: [],
    readiness: {},
    maxBodyBytes: 1024,
    version: "test",
  });
}

Deno.test("the caller's X-Correlation-Id is echoed and on the request's log line", async () => {
  const lines: Record<string, unknown>[] = [];
  const response = await appLogging(lines).request("/health", {
    headers: { "x-correlation-id": "checkout-42" },
  });
  await response.body?.cancel();
  assert.equal(response.headers.get("x-correlation-id"), "checkout-42");
  const access = lines.find((l) => l.message === "request")!;
  assert.equal(access.correlation_id, "checkout-42");
  assert.equal(access.request_id, response.headers.get("x-request-id"));
});

Deno.test("without a usable X-Correlation-Id the request id stands in", async () => {
  for (const given of [undefined, "has spaces", "x".repeat(129)]) {
    const lines: Record<string, unknown>[] = [];
    const response = await appLogging(lines).request("/health", {
      headers: given === undefined ? {} : { "x-correlation-id": given },
    });
    await response.body?.cancel();
    const requestId = response.headers.get("x-request-id");
    assert.ok(requestId);
    assert.equal(response.headers.get("x-correlation-id"), requestId, String(given));
    assert.equal(lines.find((l) => l.message === "request")!.correlation_id, requestId);
  }
});

Deno.test("events a command appends carry the correlation id and the request as their cause", async () => {
  const api = await testService();
  const created = await api.call(
    "POST",
    "/v1/videos",
    { content_type: "movie", title: "Correlated" },
    { "x-correlation-id": "upload-flow-7", "x-user-id": "editor-1" },
  );
  assert.equal(created.status, 201);
  const [event] = await api.store.readStream(`video-${created.body.id}`);
  assert.equal(event?.metadata.correlation_id, "upload-flow-7");
  assert.equal(event?.metadata.causation_id, created.headers.get("x-request-id"));
  assert.equal(event?.metadata.actor, "editor-1");
});
