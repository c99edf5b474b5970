/** GET /metrics on the whole service: scraped after a few requests and events, then parsed. */
import assert from "node:assert/strict";
import { testService } from "../testing/service.ts";

const api = await testService();
const viewer = { "x-user-id": "metrics-viewer", "x-profile-id": "main" };

interface Line {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The text format's sample lines (comments checked apart). */
function parse(text: string): Line[] {
  return text.split("\n").filter((l) => l !== "" && !l.startsWith("#")).map((line) => {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `not a sample line: ${line}`);
    const labels = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((
        m,
      ) => [m[1], m[2]]),
    );
    return { name: match[1]!, labels, value: Number(match[3]) };
  });
}

const series = (lines: Line[], name: string, labels: Record<string, string> = {}) =>
  lines.filter((l) =>
    l.name === name && Object.entries(labels).every(([k, v]) => l.labels[k] === v)
  );

Deno.test("requests, ingest, projection lag and live sessions show on /metrics", async () => {
  const created = await api.call("POST", "/v1/videos", { content_type: "movie", title: "Metrics" });
  assert.equal(created.status, 201);
  const id = created.body.id as string;
  await api.settled();
  for (let i = 0; i < 2; i++) assert.equal((await api.call("GET", `/v1/videos/${id}`)).status, 200);
  assert.equal((await api.call("GET", `/v1/videos/${crypto.randomUUID()}`)).status, 404);
  const session = crypto.randomUUID();
  const now = Date.now();
  const event = (seq: number, type: string, extra: Record<string, unknown> = {}) => ({
    event_id: crypto.randomUUID(),
    type,
    session_id: session,
    seq,
    content_id: id,
    timestamp: new Date(now - 5_000 + seq * 1_000).toISOString(),
    position_sec: seq,
    cdn_pop: "lis1",
    ...extra,
  });
  const ingest = await api.call("POST", "/v1/events", {
    events: [
      event(1, "play"),
      event(2, "first_frame"),
      event(3, "heartbeat", { played_ms: 1_000 }),
      { type: "nonsense" },
    ],
  }, { ...viewer, "cf-ipcountry": "PT" });
  assert.equal(ingest.status, 202, JSON.stringify(ingest.body));
  await api.settled();

  const scrape = await api.app.request("/metrics");
  assert.equal(scrape.status, 200);
  assert.match(scrape.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const text = await scrape.text();
  const lines = parse(text);

  const byRoute = series(lines, "http_requests_total", { route: "/v1/videos/:id", method: "GET" });
  assert.deepEqual(
    Object.fromEntries(byRoute.map((l) => [l.labels.status, l.value])),
    { "200": 2, "404": 1 },
    "by route pattern and status, never by raw URL",
  );
  assert.ok(!text.includes(id), "no series carries an id from a URL");
  assert.deepEqual(
    series(lines, "http_requests_total", { route: "/v1/videos", method: "POST" }).map((l) =>
      l.value
    ),
    [1],
  );
  assert.equal(series(lines, "telemetry_events_total", { outcome: "accepted" })[0]?.value, 3);
  assert.equal(series(lines, "telemetry_events_total", { outcome: "rejected" })[0]?.value, 1);

  const lag = series(lines, "projection_lag_events", { status: "live" });
  assert.ok(lag.some((l) => l.labels.projection === "catalog"), "lag per projection");
  assert.ok(lag.every((l) => l.value === 0), "settled: nothing behind");
  assert.ok(series(lines, "projection_lag_seconds").length >= lag.length);
  assert.equal(series(lines, "transcode_queue_length")[0]?.value, 0);
  assert.ok(
    (series(lines, "playback_sessions_active", { country: "PT" })[0]?.value ?? 0) >= 1,
    "the session just started is live",
  );
  assert.ok(
    (series(lines, "qoe_video_start_time_seconds", { quantile: "0.5" })[0]?.value ?? 0) > 0,
  );
  assert.equal(series(lines, "qoe_rebuffering_ratio_by_country", { country: "PT" })[0]?.value, 0);
  assert.equal(series(lines, "qoe_rebuffering_ratio_by_cdn_pop", { cdn_pop: "lis1" })[0]?.value, 0);
  assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
});

Deno.test("histogram buckets are cumulative and end in +Inf equal to the count", async () => {
  await api.call("GET", "/health");
  const lines = parse(await (await api.app.request("/metrics")).text());
  const buckets = series(lines, "http_request_duration_seconds_bucket");
  assert.ok(buckets.length > 0);
  const groups = Map.groupBy(buckets, (l) => {
    const { le: _le, ...rest } = l.labels;
    return JSON.stringify(rest);
  });
  for (const [key, group] of groups) {
    const values = group.map((l) => l.value);
    assert.deepEqual(values, [...values].sort((a, b) => a - b), `monotone: ${key}`);
    const bounds = group.map((l) => l.labels.le === "+Inf" ? Infinity : Number(l.labels.le));
    assert.deepEqual(bounds, [...bounds].sort((a, b) => a - b), `ascending bounds: ${key}`);
    assert.equal(group.at(-1)!.labels.le, "+Inf");
    const labels = JSON.parse(key) as Record<string, string>;
    const count = series(lines, "http_request_duration_seconds_count", labels);
    assert.equal(count.length, 1);
    assert.equal(count[0]!.value, group.at(-1)!.value, `+Inf = count: ${key}`);
  }
});
