import assert from "node:assert/strict";
import { jsonLogger } from "../logging/json-logger.ts";
import { PrometheusRegistry } from "./prometheus-registry.ts";

Deno.test("counters sum per label set, with values escaped and keys in one order", async () => {
  const registry = new PrometheusRegistry();
  const counter = registry.counter({ name: "things_total", help: "Things\nseen" });
  counter.inc({ b: "2", a: 'say "hi"\\' });
  counter.inc({ a: 'say "hi"\\', b: "2" }, 2);
  counter.inc();
  assert.equal(
    await registry.render(),
    [
      "# HELP things_total Things\\nseen",
      "# TYPE things_total counter",
      'things_total{a="say \\"hi\\"\\\\",b="2"} 3',
      "things_total 1",
      "",
    ].join("\n"),
  );
});

Deno.test("frozen labels, whose text is kept, count in the same series as equal fresh ones", async () => {
  const registry = new PrometheusRegistry();
  const counter = registry.counter({ name: "answers_total", help: "answers" });
  const frozen = Object.freeze({ status: "206", method: "GET" });
  counter.inc(frozen);
  counter.inc(frozen);
  counter.inc({ method: "GET", status: "206" });
  counter.inc(Object.freeze({ method: "GET", status: "416" }));
  const text = await registry.render();
  assert.match(text, /^answers_total\{method="GET",status="206"\} 3$/m);
  assert.match(text, /^answers_total\{method="GET",status="416"\} 1$/m);
});

Deno.test("registering a name again returns the same instrument", async () => {
  const registry = new PrometheusRegistry();
  registry.counter({ name: "n_total", help: "n" }).inc();
  registry.counter({ name: "n_total", help: "n" }).inc();
  assert.match(await registry.render(), /^n_total 2$/m);
  assert.throws(() => registry.counter({ name: "bad-name", help: "" }), /not a Prometheus/);
});

Deno.test("a histogram counts each observation in every bucket at or above it", async () => {
  const registry = new PrometheusRegistry();
  const h = registry.histogram({ name: "d_seconds", help: "d", buckets: [0.1, 1] });
  for (const value of [0.05, 0.5, 5]) h.observe({ r: "x" }, value);
  const text = await registry.render();
  assert.match(text, /^d_seconds_bucket\{le="0.1",r="x"\} 1$/m);
  assert.match(text, /^d_seconds_bucket\{le="1",r="x"\} 2$/m);
  assert.match(text, /^d_seconds_bucket\{le="\+Inf",r="x"\} 3$/m);
  assert.match(text, /^d_seconds_sum\{r="x"\} 5.55$/m);
  assert.match(text, /^d_seconds_count\{r="x"\} 3$/m);
});

Deno.test("a gauge whose read fails is left out of that scrape; the others still render", async () => {
  const logged: string[] = [];
  const registry = new PrometheusRegistry(jsonLogger("warn", {}, (line) => logged.push(line)));
  registry.gauge({ name: "broken", help: "b", read: () => Promise.reject(new Error("db down")) });
  registry.gauge({ name: "fine", help: "f", read: () => [{ labels: { q: "1" }, value: 4 }] });
  const text = await registry.render();
  assert.doesNotMatch(text, /broken/);
  assert.match(text, /^fine\{q="1"\} 4$/m);
  assert.match(logged.join(), /metric left out of the scrape/);
});
