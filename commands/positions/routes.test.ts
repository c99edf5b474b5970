import assert from "node:assert/strict";
import { testService } from "../../adapters/testing/service.ts";

const api = await testService();
const MINUTE = 60_000;

/** A fresh viewer, and PUT/GET of their position in `contentId`. */
function viewer(profile?: string) {
  const headers: Record<string, string> = { "x-user-id": crypto.randomUUID() };
  if (profile) headers["x-profile-id"] = profile;
  return {
    headers,
    put: (contentId: string, body: unknown) =>
      api.call("PUT", `/v1/me/positions/${contentId}`, body, headers),
    get: async (contentId: string) => {
      await api.settled();
      return await api.call("GET", `/v1/me/positions/${contentId}`, undefined, headers);
    },
  };
}

Deno.test("a position is accepted, then visible; an older write from another device changes nothing", async () => {
  const me = viewer("kids");
  const now = Date.now();
  const put = await me.put("movie-1", {
    position_sec: 1_800,
    duration_sec: 3_600,
    client_time: new Date(now - MINUTE).toISOString(),
    device_id: "tv",
  });
  assert.equal(put.status, 202, JSON.stringify(put.body));
  assert.equal(put.body.content_id, "movie-1");
  assert.equal(put.body.event_time, new Date(now - MINUTE).toISOString());

  const stale = await me.put("movie-1", {
    position_sec: 600,
    client_time: now - 5 * MINUTE, // epoch ms: a phone that was offline syncs late
    device_id: "phone",
  });
  assert.equal(stale.status, 202);
  const read = await me.get("movie-1");
  assert.equal(read.status, 200);
  assert.deepEqual(
    [read.body.position_sec, read.body.device_id, read.body.resume_position_sec],
    [1_800, "tv", 1_800],
  );
  assert.equal((await viewer().get("movie-1")).status, 404, "another user never watched it");
});

Deno.test("positions and heartbeats share the log: the latest by event time wins either way", async () => {
  const me = viewer();
  const session = crypto.randomUUID();
  const heartbeat = (position_sec: number, at: number) => ({
    events: [{
      event_id: crypto.randomUUID(),
      type: "heartbeat",
      session_id: session,
      seq: position_sec,
      content_id: "movie-2",
      timestamp: at,
      position_sec,
      duration_sec: 3_600,
    }],
  });
  const now = Date.now();
  await api.call("POST", "/v1/events", heartbeat(900, now - 3 * MINUTE), me.headers);
  await me.put("movie-2", {
    position_sec: 1_000,
    client_time: now - 2 * MINUTE,
    session_id: session,
  });
  assert.equal((await me.get("movie-2")).body.position_sec, 1_000);
  await api.call("POST", "/v1/events", heartbeat(1_100, now - MINUTE), me.headers);
  assert.equal((await me.get("movie-2")).body.position_sec, 1_100);
});

Deno.test("resume rules: continue watching lists exactly the items whose position is resumable", async () => {
  const me = viewer();
  const movie = async (duration_sec?: number) =>
    (await api.call("POST", "/v1/videos", { title: "M", content_type: "movie", duration_sec }))
      .body.id as string;
  const cases: [number | undefined, number, boolean][] = [
    [3_600, 176, false], // 4.9 %
    [3_600, 180, true], // 5 %
    [3_600, 3_240, true], // 90 %
    [3_600, 3_244, false], // 90.1 %
    [299, 150, false], // under 5 minutes
    [300, 150, true],
    [undefined, 150, false], // length unknown
  ];
  const ids: string[] = [];
  for (const [duration, position] of cases) {
    const id = await movie(duration);
    ids.push(id);
    // The catalog's duration counts when the player does not report one.
    assert.equal(
      (await me.put(id, { position_sec: position, client_time: Date.now() })).status,
      202,
    );
  }
  const resumable = await Promise.all(ids.map(async (id) => (await me.get(id)).body.resumable));
  assert.deepEqual(resumable, cases.map(([, , expected]) => expected));
  const listed = (await api.call("GET", "/v1/me/continue-watching", undefined, me.headers)).body
    .items as { content_id: string }[];
  assert.deepEqual(
    listed.map((item) => item.content_id).toSorted(),
    ids.filter((_, i) => cases[i]![2]).toSorted(),
  );
});

Deno.test("bad positions are 400 problems naming the field; no user is a 401", async () => {
  const me = viewer();
  const ok = { position_sec: 10, client_time: Date.now() };
  for (
    const [body, field] of [
      [{ ...ok, position_sec: -1 }, "position_sec"],
      [{ ...ok, position_sec: "10" }, "position_sec"],
      [{ ...ok, duration_sec: 5 }, "position_sec"],
      [{ ...ok, client_time: "yesterday" }, "client_time"],
      [{ position_sec: 10 }, "client_time"],
      [{ ...ok, user_id: "someone-else" }, "user_id"],
    ] as const
  ) {
    const answer = await me.put("movie-3", body);
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.deepEqual((answer.body.errors as { path: string }[]).map((e) => e.path), [field]);
  }
  assert.equal((await me.put("x".repeat(129), ok)).status, 400);
  const notJson = await api.app.request("/v1/me/positions/movie-3", {
    method: "PUT",
    headers: { ...me.headers, "content-type": "application/json" },
    body: "{",
  });
  assert.equal(notJson.status, 400);
  const anonymous = await api.call("PUT", "/v1/me/positions/movie-3", { position_sec: -1 });
  assert.equal(anonymous.status, 401, "identity first, whatever else is wrong");
  assert.equal(anonymous.headers.get("content-type"), "application/problem+json");
});
