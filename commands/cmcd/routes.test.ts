/**
 * CMCD through the one ingest path: event-mode reports, CMCD as JSON, query/headers on POST, and
 * the segment middleware; the events land in the telemetry log and the watch history like those
 * of POST /v1/events.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { identify } from "../../adapters/http/middleware/identity.ts";
import { CmlCmcdDecoder } from "../../adapters/cmcd/cml-cmcd-decoder.ts";
import { jsonLogger } from "../../adapters/logging/json-logger.ts";
import { MemoryRecentKeys } from "../../adapters/memory/recent-keys.ts";
import { type TestService, testService } from "../../adapters/testing/service.ts";
import { cmcdTelemetry } from "./middleware.ts";

const api = await testService();
const T0 = Date.now() - 60_000;

async function postCmcd(body: string, type: string, headers: Record<string, string> = {}) {
  const response = await api.app.request("/v1/cmcd", {
    method: "POST",
    headers: { "content-type": type, ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/** The viewer's position in `content`, once the watch history shows `expected`. */
async function eventualPosition(
  service: TestService,
  user: string,
  content: string,
  expected: number,
) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await service.settled();
    const answer = await service.call("GET", `/v1/me/positions/${content}`, undefined, {
      "x-user-id": user,
    });
    if (answer.body.position_sec === expected || Date.now() > deadline) return answer.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Deno.test("an event-mode report: each line an event; a bad line is listed; a repeat is dropped", async () => {
  const user = crypto.randomUUID();
  const sid = crypto.randomUUID();
  const line = (fields: string, sn: number, ms: number) =>
    `v=2,sid="${sid}",cid="ep-1",sn=${sn},ts=${T0 + ms},${fields}`;
  const report = [
    line("e=ps,sta=s,pt=0", 0, 0),
    line("e=t,sta=p,pt=30000,br=(3200),bl=(12000)", 1, 30_000),
    "this is ((( not CMCD",
    line("e=ps,sta=a,pt=45000", 2, 45_000),
  ].join("\n");
  const first = await postCmcd(report, "application/cmcd", { "x-user-id": user });
  assert.equal(first.status, 202, JSON.stringify(first.body));
  assert.deepEqual([first.body.accepted, first.body.duplicates, first.body.rejected], [3, 0, 1]);
  assert.equal(first.body.errors[0].index, 2);

  const again = await postCmcd(report, "application/cmcd", { "x-user-id": user });
  assert.deepEqual([again.body.accepted, again.body.duplicates], [3, 3]);
  const position = await eventualPosition(api, user, "ep-1", 45);
  assert.equal(position.position_sec, 45, JSON.stringify(position));
});

Deno.test("CMCD as JSON, and in the query argument of a body-less POST", async () => {
  const user = crypto.randomUUID();
  const sid = crypto.randomUUID();
  const json = await postCmcd(
    JSON.stringify([{ v: 2, e: "ps", sta: "a", sid, cid: "film-2", sn: 3, ts: T0, pt: 61_000 }]),
    "application/json",
    { "x-user-id": user },
  );
  assert.equal(json.status, 202, JSON.stringify(json.body));
  const cmcd = encodeURIComponent(
    `sid="${sid}",cid="film-2",sn=4,ts=${T0 + 1000},sta=p,pt=62000,v=2`,
  );
  const query = await api.app.request(`/v1/cmcd?CMCD=${cmcd}`, {
    method: "POST",
    headers: { "x-user-id": user },
  });
  assert.equal(query.status, 202, await query.text());
  assert.equal((await eventualPosition(api, user, "film-2", 62)).position_sec, 62);
});

Deno.test("nothing valid is a 400 naming the line and field; other body types a 415", async () => {
  const noSession = await postCmcd('cid="x",br=100', "application/cmcd");
  assert.equal(noSession.status, 400);
  assert.ok(
    noSession.body.errors.some((e: { path: string }) => e.path === "lines.0.session_id"),
    JSON.stringify(noSession.body),
  );
  const garbage = await postCmcd("(((", "application/cmcd");
  assert.equal(garbage.status, 400);
  assert.equal((await postCmcd("<p>hi</p>", "text/html")).status, 415);
  const empty = await postCmcd("", "application/cmcd");
  assert.equal(empty.status, 400);
});

Deno.test("cmcdTelemetry on a segment route: the segment is served, its CMCD ingested", async () => {
  const user = crypto.randomUUID();
  // The service's identity middleware names the viewer (here from X-User-Id, AUTH_MODE=off).
  const media = new Hono().use(identify({ mode: "off" })).get(
    "/media/:id/:segment",
    cmcdTelemetry({
      log: api.telemetry,
      recent: new MemoryRecentKeys(),
      maxEvents: 100,
      decoder: new CmlCmcdDecoder(),
      logger: jsonLogger("silent"),
      contentIdOf: (c) => c.req.param("id"),
    }),
    (c) => c.text(`segment ${c.req.param("segment")}`),
  );
  const cmcd = encodeURIComponent(`sid="${crypto.randomUUID()}",sta=p,pt=95000,br=(2400),v=2`);
  const served = await media.request(`/media/show-ep-3/seg-20.m4s?CMCD=${cmcd}`, {
    headers: { "x-user-id": user },
  });
  assert.deepEqual([served.status, await served.text()], [200, "segment seg-20.m4s"]);
  const unreadable = await media.request("/media/show-ep-3/seg-21.m4s?CMCD=(((");
  assert.equal(unreadable.status, 200);
  await unreadable.body?.cancel();
  assert.equal((await eventualPosition(api, user, "show-ep-3", 95)).position_sec, 95);
});
