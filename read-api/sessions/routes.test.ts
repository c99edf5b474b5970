import assert from "node:assert/strict";
import { testService } from "../../adapters/testing/service.ts";

function event(
  session: string,
  seq: number,
  type: string,
  at: number,
  extra: Record<string, unknown> = {},
) {
  return {
    event_id: crypto.randomUUID(),
    type,
    session_id: session,
    seq,
    content_id: "movie-7",
    timestamp: new Date(at).toISOString(),
    ...extra,
  };
}

Deno.test("a viewer's sessions: playing, ended, and dropped after three silent heartbeats", async () => {
  const api = await testService();
  const user = { "x-user-id": `viewer-${crypto.randomUUID().slice(0, 8)}` };
  const now = Date.now();
  const [playing, stopped, silent] = [
    crypto.randomUUID(),
    crypto.randomUUID(),
    crypto.randomUUID(),
  ];
  const history = (session: string, at: number) => [
    event(session, 0, "play", at),
    event(session, 1, "first_frame", at + 800, { startup_ms: 800 }),
    event(session, 2, "heartbeat", at + 10_000, { position_sec: 9, played_ms: 9_200 }),
  ];
  const events = [
    ...history(playing, now - 12_000),
    ...history(stopped, now - 60_000),
    event(stopped, 3, "stop", now - 45_000, { position_sec: 14, played_ms: 14_000 }),
    ...history(silent, now - 10 * 60_000),
  ];
  const sent = await api.call("POST", "/v1/events", { events }, user);
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  await api.settled();

  const answer = await api.call("GET", "/v1/me/sessions", undefined, user);
  assert.equal(answer.status, 200);
  type Session = { session_id: string; status: string; played_ms: number };
  const byId = new Map((answer.body.sessions as Session[]).map((s) => [s.session_id, s]));
  assert.deepEqual(
    [playing, stopped, silent].map((id) => byId.get(id)?.status),
    ["playing", "ended", "dropped"],
  );
  assert.equal(byId.get(silent)?.played_ms, 9_200, "no watch time past the last heartbeat");
  const only = await api.call("GET", "/v1/me/sessions?status=dropped", undefined, user);
  assert.deepEqual((only.body.sessions as { session_id: string }[]).map((s) => s.session_id), [
    silent,
  ]);
  assert.equal((await api.call("GET", "/v1/me/sessions")).status, 401);
});
