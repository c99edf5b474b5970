/**
 * With auth on, a viewer's identity is the token's: their positions, history and sessions are
 * theirs alone, X-User-Id headers are ignored, and telemetry cannot speak for another user.
 */
import assert from "node:assert/strict";
import { authOn, signedInAdmin, signedInAs, type SignedInUser } from "../testing/auth.ts";
import { testService } from "../testing/service.ts";

const auth = authOn();
const api = await testService({ auth });
const admin = await signedInAdmin(api, auth);
const [alice, bob] = [
  await signedInAs(api, admin, "viewer"),
  await signedInAs(api, admin, "viewer"),
];

async function play(user: SignedInUser, contentId: string, extra: Record<string, unknown> = {}) {
  const session = crypto.randomUUID();
  const at = Date.now() - 30_000;
  const event = (seq: number, type: string, position_sec: number) => ({
    event_id: crypto.randomUUID(),
    type,
    session_id: session,
    seq,
    content_id: contentId,
    timestamp: new Date(at + seq * 1000).toISOString(),
    position_sec,
    duration_sec: 3_600,
    ...extra,
  });
  return await api.call("POST", "/v1/events", {
    events: [event(0, "play", 0), event(1, "first_frame", 0), event(2, "stop", 1_200)],
  }, user.headers);
}

Deno.test("a viewer sees only their own history, positions and sessions", async () => {
  const movie = `movie-${crypto.randomUUID()}`;
  assert.equal((await play(alice, movie)).status, 202);
  const put = await api.call("PUT", `/v1/me/positions/${movie}`, {
    position_sec: 1_500,
    duration_sec: 3_600,
    client_time: Date.now(),
  }, alice.headers);
  assert.equal(put.status, 202, JSON.stringify(put.body));
  await api.settled();

  const mine = await api.call("GET", "/v1/me/history", undefined, alice.headers);
  assert.deepEqual((mine.body.items as { content_id: string }[]).map((i) => i.content_id), [movie]);
  const position = await api.call("GET", `/v1/me/positions/${movie}`, undefined, alice.headers);
  assert.equal(position.body.position_sec, 1_500);
  const sessions = await api.call("GET", "/v1/me/sessions", undefined, alice.headers);
  assert.equal((sessions.body.sessions as unknown[]).length, 1);

  // Bob, even naming Alice in the headers AUTH_MODE=off would trust, sees nothing of hers.
  const asAlice = { ...bob.headers, "x-user-id": alice.userId };
  const theirs = await api.call("GET", "/v1/me/history", undefined, asAlice);
  assert.deepEqual(theirs.body.items, []);
  assert.equal(
    (await api.call("GET", `/v1/me/positions/${movie}`, undefined, asAlice)).status,
    404,
  );
  assert.deepEqual(
    (await api.call("GET", "/v1/me/sessions", undefined, asAlice)).body.sessions,
    [],
  );
  // ...and cannot write hers: his write lands in his own history.
  await api.call("PUT", `/v1/me/positions/${movie}`, {
    position_sec: 60,
    client_time: Date.now() + 1000,
  }, asAlice);
  await api.settled();
  const still = await api.call("GET", `/v1/me/positions/${movie}`, undefined, alice.headers);
  assert.equal(still.body.position_sec, 1_500);
  // Without a token, the headers alone are nobody.
  const headersOnly = { "x-user-id": alice.userId };
  assert.equal((await api.call("GET", "/v1/me/history", undefined, headersOnly)).status, 401);
});

Deno.test("telemetry naming another user is refused event by event; the token's user is filled in", async () => {
  const forged = await play(bob, `movie-${crypto.randomUUID()}`, { user_id: alice.userId });
  assert.equal(forged.status, 400);
  assert.deepEqual(
    [...new Set((forged.body.errors as { path: string }[]).map((e) => e.path))],
    ["events.0.user_id", "events.1.user_id", "events.2.user_id"],
  );
  const own = await play(bob, `movie-${crypto.randomUUID()}`, { user_id: bob.userId });
  assert.equal(own.status, 202);
  assert.equal((await play(bob, `movie-${crypto.randomUUID()}`)).status, 202);
});
