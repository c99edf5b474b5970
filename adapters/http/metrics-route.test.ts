import assert from "node:assert/strict";
import { createApp } from "./app.ts";
import { jsonLogger } from "../logging/json-logger.ts";
import { PrometheusRegistry } from "../metrics/prometheus-registry.ts";

const app = createApp({
  logger: jsonLogger("silent"),
  features: [],
  readiness: {},
  maxBodyBytes: 1024,
  version: "test",
  metrics: { registry: new PrometheusRegistry(), token: "scrape-secret" },
});

Deno.test("with METRICS_TOKEN set, /metrics answers only a scraper that sends it", async () => {
  const anonymous = await app.request("/metrics");
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers.get("content-type")!, /problem\+json/);
  await anonymous.body?.cancel();
  const wrong = await app.request("/metrics", { headers: { authorization: "Bearer nope" } });
  assert.equal(wrong.status, 401);
  await wrong.body?.cancel();
  const scraper = await app.request("/metrics", {
    headers: { authorization: "Bearer scrape-secret" },
  });
  assert.equal(scraper.status, 200);
  assert.match(await scraper.text(), /^# TYPE http_requests_total counter$/m);
});
