import assert from "node:assert/strict";
import { createApp } from "../../adapters/http/app.ts";
import { jsonLogger } from "../../adapters/logging/json-logger.ts";
import { MemoryRecentKeys } from "../../adapters/memory/recent-keys.ts";
import { testService } from "../../adapters/testing/service.ts";
import {
  type LoggedRecord,
  type TelemetryLog,
  TelemetryLogUnavailableError,
} from "../../domain/ports/telemetry-log.ts";
import { telemetryRoutes } from "./routes.ts";
import { heartbeat } from "./testing.ts";

const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";

/** The records of these sessions in the log, waiting until `count` arrived. */
async function recordsOf(
  log: TelemetryLog,
  sessions: string[],
  count: number,
): Promise<LoggedRecord[]> {
  const found: LoggedRecord[] = [];
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 5_000);
  for await (
    const batch of log.consume({
      group: crypto.randomUUID(),
      startOffset: () => Promise.resolve(undefined),
      signal: abort.signal,
    })
  ) {
    found.push(...batch.records.filter((r) => sessions.includes(r.key)));
    if (found.length >= count) abort.abort();
  }
  clearTimeout(timer);
  return found;
}

Deno.test("a mixed batch: valid events are accepted and enriched, invalid ones listed with reasons", async () => {
  const api = await testService();
  const session = crypto.randomUUID();
  const sentAt = "2026-11-21T12:00:30.000Z"; // the client's clock; the server's is now
  const answer = await api.call("POST", "/v1/events", {
    sent_at: sentAt,
    events: [
      heartbeat(session, 1),
      { ...heartbeat(session, 2), type: "teleport" },
      heartbeat(session, 3, { country: "DE" }),
      { ...heartbeat(session, 4), seq: -1, event_id: "nope" },
      heartbeat(session, 5, { extra_field: true }),
    ],
  }, { "user-agent": IPHONE, "cf-ipcountry": "br", "x-user-id": "user-7" });
  assert.equal(answer.status, 202, JSON.stringify(answer.body));
  assert.equal(answer.body.accepted, 2);
  assert.equal(answer.body.rejected, 3);
  const errors = answer.body.errors as { index: number; errors: { path: string }[] }[];
  assert.deepEqual(errors.map((e) => [e.index, e.errors.map((x) => x.path)]), [
    [1, ["type"]],
    [3, ["event_id", "seq"]],
    [4, ["extra_field"]],
  ]);

  const records = await recordsOf(api.telemetry, [session], 2);
  assert.deepEqual(records.map((r) => r.value.seq), [1, 3]);
  const first = records[0]!.value;
  assert.equal(first.user_id, "user-7");
  assert.equal(first.country, "BR", "the trusted header wins");
  assert.equal(first.device_type, "mobile");
  assert.equal(first.os, "iOS");
  assert.equal(first.client_timestamp, "2026-11-21T12:00:00.000Z");
  const skew = Date.parse(first.received_at as string) - Date.parse(sentAt);
  assert.equal(
    Date.parse(first.timestamp as string),
    Date.parse("2026-11-21T12:00:00.000Z") + skew,
  );
});

Deno.test("repeats by event id or by session and seq are stored once", async () => {
  const api = await testService();
  const session = crypto.randomUUID();
  const events = [heartbeat(session, 1), heartbeat(session, 2)];
  assert.equal((await api.call("POST", "/v1/events", { events })).body.duplicates, 0);
  const again = await api.call("POST", "/v1/events", {
    events: [...events, heartbeat(session, 2), heartbeat(session, 3), heartbeat(session, 3)],
  });
  assert.deepEqual([again.body.accepted, again.body.duplicates], [5, 4]);
  const records = await recordsOf(api.telemetry, [session], 3);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(records.map((r) => r.value.seq).sort(), [1, 2, 3]);
});

Deno.test("repeats are found in a batch that mixes sessions, and across its batches", async () => {
  const api = await testService();
  const [one, two] = [crypto.randomUUID(), crypto.randomUUID()];
  const first = heartbeat(one, 1);
  const again = await api.call("POST", "/v1/events", {
    events: [
      first,
      heartbeat(two, 1),
      heartbeat(one, 1), // one's seq 1 again, after another session's event
      heartbeat(two, 2, { event_id: first.event_id }), // first's id again
      heartbeat(one, 2),
    ],
  });
  assert.deepEqual([again.body.accepted, again.body.duplicates], [5, 2]);
  const later = await api.call("POST", "/v1/events", {
    events: [heartbeat(two, 1), heartbeat(one, 3), heartbeat(two, 3, { event_id: first.event_id })],
  });
  assert.deepEqual([later.body.accepted, later.body.duplicates], [3, 2]);
  const records = await recordsOf(api.telemetry, [one, two], 4);
  const places = records.map((r) => `${r.value.session_id === one ? "one" : "two"}:${r.value.seq}`);
  assert.deepEqual(places.sort(), ["one:1", "one:2", "one:3", "two:1"]);
});

Deno.test("a batch with no valid event, too many events, or not JSON is refused with a problem", async () => {
  const api = await testService({ maxEventsPerBatch: 3 });
  const none = await api.call("POST", "/v1/events", { events: [{ type: "play" }] });
  assert.equal(none.status, 400);
  assert.ok((none.body.errors as { path: string }[]).some((e) => e.path === "events.0.event_id"));
  const many = await api.call("POST", "/v1/events", {
    events: [1, 2, 3, 4].map((seq) => heartbeat(crypto.randomUUID(), seq)),
  });
  assert.equal(many.status, 413);
  assert.match(String(many.body.detail), /at most 3 events/);
  assert.equal((await api.call("POST", "/v1/events", { events: [] })).status, 400);
  assert.equal((await api.call("POST", "/v1/events", [heartbeat("s", 1)])).status, 400);
  const text = await api.app.request("/v1/events", {
    method: "POST",
    body: "events",
    headers: { "content-type": "text/plain" },
  });
  assert.equal(text.status, 415);
});

Deno.test("when the log cannot take events: 503 with Retry-After, and the retry is not a duplicate", async () => {
  let down = true;
  const appended: unknown[] = [];
  const flakyLog = {
    append(records: unknown[]) {
      if (down) return Promise.reject(new TelemetryLogUnavailableError("broker unreachable"));
      appended.push(...records);
      return Promise.resolve();
    },
  } as unknown as TelemetryLog;
  const app = createApp({
    logger: jsonLogger("silent"),
    version: "test",
    maxBodyBytes: 1 << 20,
    readiness: {},
    features: [{
      path: "/events",
      app: telemetryRoutes({ log: flakyLog, recent: new MemoryRecentKeys(), maxEvents: 100 }),
    }],
  });
  const send = () =>
    app.request("/v1/events", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ events: [heartbeat("s-503", 1)] }),
    });
  const refused = await send();
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get("retry-after"), "5");
  assert.equal(refused.headers.get("content-type"), "application/problem+json");
  down = false;
  const retried = await send();
  assert.equal(retried.status, 202);
  assert.deepEqual(await retried.json(), { accepted: 1, duplicates: 0, rejected: 0, errors: [] });
  assert.equal(appended.length, 1);
});
