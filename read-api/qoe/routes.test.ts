import assert from "node:assert/strict";
import { testService } from "../../adapters/testing/service.ts";

function event(session: string, seq: number, type: string, at: number, extra = {}) {
  return {
    event_id: crypto.randomUUID(),
    type,
    session_id: session,
    seq,
    timestamp: new Date(at).toISOString(),
    country: "PT",
    cdn_pop: "lis1",
    device_type: "tv",
    ...extra,
  };
}

Deno.test("QoE reads: overview, one content, breakdown by country, bad queries", async () => {
  // The events lie in the current minute, up to a minute old: sessions stay live for 90 s here.
  const api = await testService({ sessionHeartbeatSec: 30 });
  const content = `qoe-${crypto.randomUUID().slice(0, 8)}`;
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const [ok, stalled, failed] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  const on = { content_id: content, duration_sec: 100 };
  const events = [
    event(ok, 0, "play", minute + 1_000, on),
    event(ok, 1, "first_frame", minute + 2_000, { ...on, startup_ms: 1_000 }),
    event(ok, 2, "heartbeat", minute + 20_000, { ...on, played_ms: 18_000, bitrate_kbps: 5_000 }),
    event(stalled, 0, "play", minute + 1_000, on),
    event(stalled, 1, "first_frame", minute + 4_000, { ...on, startup_ms: 3_000 }),
    event(stalled, 2, "buffer_start", minute + 10_000, on),
    event(stalled, 3, "buffer_end", minute + 12_000, on),
    event(stalled, 4, "heartbeat", minute + 20_000, {
      ...on,
      played_ms: 14_000,
      bitrate_kbps: 2_500,
    }),
    event(failed, 0, "play", minute + 1_000, { ...on, country: "BR" }),
    event(failed, 1, "error", minute + 3_000, { ...on, fatal: true, error_code: "X" }),
  ];
  const sent = await api.call("POST", "/v1/events", { events }, { "x-user-id": "qoe-viewer" });
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  await api.settled();

  const from = new Date(minute).toISOString();
  const read = await api.call("GET", `/v1/qoe/content/${content}?window=1m&from=${from}`);
  assert.equal(read.status, 200, JSON.stringify(read.body));
  const metrics = read.body.metrics as Record<string, unknown>;
  assert.equal(metrics.plays, 3);
  assert.equal(metrics.video_starts, 2);
  assert.equal(metrics.playback_failures, 1);
  assert.equal(metrics.rebuffers, 1);
  assert.equal(metrics.rebuffer_ms, 2_000);
  assert.equal(metrics.rebuffering_ratio, 0.05882); // 2 s of 34 s watched
  assert.equal(
    metrics.average_bitrate_kbps,
    Math.round((18_000 * 5_000 + 14_000 * 2_500) / 32_000),
  );
  assert.equal(metrics.unique_viewers, 1);
  assert.equal(read.body.concurrent_viewers_now, 2);
  assert.equal(typeof metrics.qoe_score, "number");

  const overview = await api.call("GET", "/v1/qoe/overview?window=5m");
  assert.equal(overview.status, 200);
  const trending = overview.body.trending_now as { content_id: string }[];
  assert.ok(trending.some((entry) => entry.content_id === content));

  const byCountry = await api.call("GET", `/v1/qoe/breakdown?by=country&window=1m&from=${from}`);
  assert.equal(byCountry.status, 200);
  const groups = byCountry.body.groups as { country: string; metrics: { plays: number } }[];
  const br = groups.find((group) => group.country === "BR");
  assert.ok(br && br.metrics.plays >= 1);

  const none = await api.call("GET", `/v1/qoe/content/${crypto.randomUUID()}`);
  assert.equal(none.body.window, null);
  assert.equal((none.body.metrics as { plays: number }).plays, 0);

  for (
    const bad of [
      "/v1/qoe/breakdown?by=planet",
      "/v1/qoe/overview?window=7m",
      "/v1/qoe/overview?from=yesterday",
    ]
  ) {
    assert.equal((await api.call("GET", bad)).status, 400, bad);
  }
});

Deno.test("the OpenAPI document describes the QoE and alert routes and their parameters", async () => {
  const api = await testService();
  const document = await (await api.app.request("/openapi.json")).json();
  const names = (path: string) =>
    (document.paths[path].get.parameters as { name: string }[]).map((p) => p.name).sort();
  assert.deepEqual(names("/v1/qoe/breakdown"), ["by", "from", "to", "window"]);
  assert.deepEqual(names("/v1/qoe/content/{id}"), ["from", "id", "to", "window"]);
  assert.deepEqual(names("/v1/alerts"), ["limit", "status"]);
});
