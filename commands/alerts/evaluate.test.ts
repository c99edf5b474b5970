import assert from "node:assert/strict";
import * as v from "valibot";
import { testService } from "../../adapters/testing/service.ts";
import { ddSketches } from "../../adapters/sketches/ddsketch.ts";
import { partitionFor } from "../../adapters/telemetry-log/partition.ts";
import { alertWebhook } from "../../adapters/webhook/alert-webhook.ts";
import { jsonLogger } from "../../adapters/logging/json-logger.ts";
import { AlertRules } from "../../domain/alerts/rules.ts";
import { evaluateAlerts } from "./evaluate.ts";

const LATENESS_SEC = 60; // as the test service's QoE projection
const rules = v.parse(AlertRules, {
  rules: [{
    name: "HighRebuffering",
    metric: "rebuffering_ratio",
    condition: ">",
    threshold: 0.02,
    clear: 0.015,
    severity: "critical",
    min_sample: 3,
  }],
}).rules;

/** Session ids that cover every partition of the test service's log (six). */
function oneSessionPerPartition(): string[] {
  const ids = new Map<number, string>();
  while (ids.size < 6) {
    const id = crypto.randomUUID();
    ids.set(partitionFor(id, 6), id);
  }
  return [...ids.values()];
}

/** A session of `content` starting at `at`: 10 s played, with a stall of `stallMs` if any. */
function session(content: string, at: number, stallMs: number, id: string = crypto.randomUUID()) {
  const e = (seq: number, type: string, offset: number, extra = {}) => ({
    event_id: crypto.randomUUID(),
    type,
    session_id: id,
    seq,
    content_id: content,
    timestamp: new Date(at + offset).toISOString(),
    ...extra,
  });
  return [
    e(0, "play", 0),
    e(1, "first_frame", 500, { startup_ms: 500 }),
    ...(stallMs ? [e(2, "buffer_start", 3_000), e(3, "buffer_end", 3_000 + stallMs)] : []),
    e(4, "heartbeat", 15_000, { played_ms: 10_000 }),
  ];
}

Deno.test("alerts: raised with the minimum sample, once per window, resolved past the clear point, POSTed", async () => {
  const api = await testService();
  const received: Record<string, unknown>[] = [];
  const server = Deno.serve({ port: 0, onListen: () => {} }, async (request) => {
    received.push(await request.json());
    return new Response(null, { status: 204 });
  });
  const content = `alerting-${crypto.randomUUID().slice(0, 8)}`;
  const start = Math.floor(Date.now() / 300_000) * 300_000 - 3_600_000;
  const send = async (events: unknown[]) => {
    const answer = await api.call("POST", "/v1/events", { events }, { "x-user-id": "alerts" });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
  };
  /** A play of another content on every partition moves each partition's watermark to `at`. */
  const advanceTo = (at: number) =>
    send(oneSessionPerPartition().map((id) => session("clock", at, 0, id)[0]));
  const evaluate = async () => {
    await api.settled();
    return await evaluateAlerts({
      store: api.store,
      sql: api.sql,
      sketches: ddSketches(),
      rules,
      allowedLatenessSec: LATENESS_SEC,
      targetBitrateKbps: 5_000,
      notifier: alertWebhook(`http://127.0.0.1:${server.addr.port}/hook`),
      logger: jsonLogger("silent"),
    });
  };
  try {
    await send([content, content].flatMap(() => session(content, start + 1_000, 2_000)));
    await advanceTo(start + 300_000 + LATENESS_SEC * 1000 + 30_000);
    assert.deepEqual(await evaluate(), [], "two sessions are below the minimum sample");

    await send([1, 2].flatMap((i) => session(content, start + 300_000 + i * 1_000, 3_000)));
    await send(session(content, start + 300_000 + 5_000, 0));
    await advanceTo(start + 600_000 + LATENESS_SEC * 1000 + 30_000);
    const raised = await evaluate();
    assert.deepEqual(raised.map((e) => [e.type, e.data.scope_id]), [["AlertRaised", content]]);
    assert.deepEqual(await evaluate(), [], "the same window again appends nothing");

    await send([1, 2, 3].flatMap((i) => session(content, start + 600_000 + i * 1_000, 0)));
    await advanceTo(start + 900_000 + LATENESS_SEC * 1000 + 30_000);
    const resolved = await evaluate();
    assert.deepEqual(resolved.map((e) => e.type), ["AlertResolved"]);

    await api.settled();
    const listed = await api.call("GET", "/v1/alerts?status=resolved");
    assert.equal(listed.status, 200);
    const alerts = listed.body.alerts as { scope_id: string; status: string; rule: string }[];
    const mine = alerts.filter((alert) => alert.scope_id === content);
    assert.deepEqual(mine.map((a) => [a.rule, a.status]), [["HighRebuffering", "resolved"]]);
    assert.deepEqual(received.map((body) => body.event), ["AlertRaised", "AlertResolved"]);
    assert.equal((await api.call("GET", "/v1/alerts?status=maybe")).status, 400);
  } finally {
    await server.shutdown();
  }
});
