import assert from "node:assert/strict";
import { Hono } from "hono";
import { jsonLogger } from "../logging/json-logger.ts";
import { testService } from "../testing/service.ts";
import { createApp } from "./app.ts";

function appWith(features: { path: string; app: Hono }[], readiness = {}) {
  const lines: string[] = [];
  const logger = jsonLogger("info", {}, (line) => lines.push(line));
  const app = createApp({ logger, version: "test", maxBodyBytes: 1024, readiness, features });
  return { app, lines };
}

Deno.test("an unexpected error is a 500 problem without internals, logged with its request id", async () => {
  const failing = new Hono().get("/", () => {
    throw new Error("database password is hunter2");
  });
  const { app, lines } = appWith([{ path: "/boom", app: failing }]);
  const response = await app.request("/v1/boom", { headers: { "x-request-id": "req-42" } });
  assert.equal(response.status, 500);
  assert.equal(response.headers.get("content-type"), "application/problem+json");
  const text = await response.text();
  assert.doesNotMatch(text, /hunter2/);
  assert.equal(JSON.parse(text).request_id, "req-42");
  const logged = lines.map((line) => JSON.parse(line));
  assert.ok(
    logged.some((l) =>
      l.level === "error" && l.request_id === "req-42" && l.error.message.includes("hunter2")
    ),
  );
  assert.ok(
    logged.some((l) => l.message === "request" && l.status === 500 && l.path === "/v1/boom"),
  );
});

Deno.test("bodies over the limit get 413, non-JSON bodies 415, unknown routes 404", async () => {
  const api = await testService({ maxBodyBytes: 1024 });
  const big = await api.call("POST", "/v1/videos", {
    content_type: "movie",
    title: "x".repeat(2000),
  });
  assert.equal(big.status, 413);
  assert.equal(big.headers.get("content-type"), "application/problem+json");
  const form = await api.app.request("/v1/videos", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "title=x",
  });
  assert.equal(form.status, 415);
  assert.equal((await api.call("GET", "/v1/nothing-here")).status, 404);
});

Deno.test("/ready reports each adapter and answers 503 when one fails", async () => {
  const { app } = appWith([], {
    event_store: () => Promise.resolve(),
    search: () => Promise.reject(new Error("connection refused")),
  });
  assert.equal((await app.request("/health")).status, 200);
  const ready = await app.request("/ready");
  assert.equal(ready.status, 503);
  assert.equal(ready.headers.get("retry-after"), "5");
  assert.deepEqual(await ready.json(), {
    status: "not_ready",
    checks: { event_store: "ok", search: "connection refused" },
  });
});

Deno.test("the OpenAPI document describes every catalog route with its body schema", async () => {
  const api = await testService();
  const document = await (await api.app.request("/openapi.json")).json();
  const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`)
    );
  const routes = api.app.routes
    .filter((r) => (r.path.startsWith("/v1/") || r.path === "/metrics") && r.method !== "ALL")
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
  assert.deepEqual([...new Set(routes)].sort(), operations.sort());
  const create = document.paths["/v1/videos"].post;
  assert.ok(create.requestBody.content["application/json"].schema.properties.title);
  assert.equal((await api.app.request("/docs")).status, 200);
});
