/** Accounts and sign-in with auth on, through the HTTP API as clients use it. */
import assert from "node:assert/strict";
import { MemoryRateLimiter } from "../../adapters/memory/rate-limiter.ts";
import { authOn, logIn, signedInAdmin, signedInAs } from "../../adapters/testing/auth.ts";
import { testService } from "../../adapters/testing/service.ts";
import { FAILURE_COST, LOGIN_LIMITS } from "./login-throttle.ts";

const auth = authOn({ maxDevices: 3, loginPerAccount: new MemoryRateLimiter(LOGIN_LIMITS) });
const api = await testService({ auth });
const admin = await signedInAdmin(api, auth);

const refresh = (refresh_token: string, profile_id?: string) =>
  api.call("POST", "/v1/auth/refresh", { refresh_token, profile_id });

Deno.test("a new user registers as a viewer, signs in, and may not create a movie", async () => {
  const email = `new-${crypto.randomUUID()}@Example.com`;
  const registered = await api.call("POST", "/v1/auth/register", {
    email,
    password: "twelve chars!",
  });
  assert.equal(registered.status, 201, JSON.stringify(registered.body));
  assert.equal(registered.body.role, "viewer");
  assert.equal(registered.body.email, email.toLowerCase());
  const again = await api.call("POST", "/v1/auth/register", { email, password: "twelve chars!" });
  assert.equal(again.status, 409);
  const short = await api.call("POST", "/v1/auth/register", {
    email: "x@example.com",
    password: "1",
  });
  assert.deepEqual((short.body.errors as { path: string }[]).map((e) => e.path), ["password"]);

  const viewer = await logIn(api, email, "twelve chars!");
  const movie = { content_type: "movie", title: "Arrival" };
  const refused = await api.call("POST", "/v1/videos", movie, viewer.headers);
  assert.equal(refused.status, 403);
  assert.match(refused.body.detail as string, /needs the editor role/);
  assert.equal((await api.call("POST", "/v1/videos", movie)).status, 401);
  assert.equal((await api.call("POST", "/v1/videos", movie, admin.headers)).status, 201);
});

Deno.test("a wrong password or unknown e-mail gets the same 401", async () => {
  const viewer = await signedInAs(api, admin, "viewer");
  const wrong = await api.call("POST", "/v1/auth/login", {
    email: viewer.email,
    password: "not the password",
    device_id: "d",
  });
  const unknown = await api.call("POST", "/v1/auth/login", {
    email: `nobody-${crypto.randomUUID()}@example.com`,
    password: "not the password",
    device_id: "d",
  });
  assert.deepEqual([wrong.status, unknown.status], [401, 401]);
  assert.equal(wrong.body.detail, unknown.body.detail);
  assert.equal(wrong.headers.get("www-authenticate"), 'Bearer realm="streaming-api"');
});

Deno.test("repeated failed logins are throttled with Retry-After", async () => {
  const viewer = await signedInAs(api, admin, "viewer");
  const attempt = () =>
    api.call("POST", "/v1/auth/login", { email: viewer.email, password: "guess", device_id: "d" });
  const statuses: number[] = [];
  const failuresToEmpty = Math.ceil(LOGIN_LIMITS.capacity / (1 + FAILURE_COST)) + 1;
  for (let i = 0; i < failuresToEmpty; i++) statuses.push((await attempt()).status);
  assert.equal(statuses.at(-1), 429, statuses.join(","));
  const throttled = await attempt();
  assert.equal(throttled.status, 429);
  assert.ok(Number(throttled.headers.get("retry-after")) >= 1);
  // Even the right password waits: the guesser cannot tell which attempt was right.
  const right = await api.call("POST", "/v1/auth/login", {
    email: viewer.email,
    password: viewer.password,
    device_id: "d",
  });
  assert.equal(right.status, 429);
});

Deno.test("refresh tokens rotate; a replayed one revokes the family", async () => {
  const viewer = await signedInAs(api, admin, "viewer");
  const first = await refresh(viewer.refreshToken);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.notEqual(first.body.refresh_token, viewer.refreshToken);
  const fresh = { authorization: `Bearer ${first.body.access_token}` };
  assert.equal((await api.call("GET", "/v1/me/history", undefined, fresh)).status, 200);

  const replay = await refresh(viewer.refreshToken);
  assert.equal(replay.status, 401);
  assert.match(replay.body.detail as string, /already used/);
  const afterTheft = await refresh(first.body.refresh_token as string);
  assert.equal(afterTheft.status, 401, "the legitimate holder's token died with the family");
  assert.equal((await refresh("not.a.token")).status, 401);
  assert.equal((await refresh("garbage")).status, 401);
});

Deno.test("an account's refreshes are snapshotted every 100 events; signing in still works", async () => {
  const viewer = await signedInAs(api, admin, "viewer");
  let token = viewer.refreshToken;
  for (let i = 0; i < 100; i++) {
    const refreshed = await refresh(token);
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    token = refreshed.body.refresh_token as string;
  }
  const [snapshot] = await api.sql.query<{ version: number }>(
    "SELECT version FROM aggregate_snapshots WHERE stream = $1",
    [`account-${viewer.userId}`],
  );
  assert.ok(snapshot && snapshot.version >= 100, JSON.stringify(snapshot));
  assert.equal((await refresh(token)).status, 200);
  assert.equal((await logIn(api, viewer.email, viewer.password, "phone")).userId, viewer.userId);
});

Deno.test("after logout neither the refresh token nor the live access token works", async () => {
  const viewer = await signedInAs(api, admin, "viewer");
  const tablet = await logIn(api, viewer.email, viewer.password, "tablet");
  const history = (headers: Record<string, string>) =>
    api.call("GET", "/v1/me/history", undefined, headers);
  assert.equal((await history(viewer.headers)).status, 200);
  const out = await api.call("POST", "/v1/auth/logout", { refresh_token: viewer.refreshToken });
  assert.equal(out.status, 204);
  assert.equal((await refresh(viewer.refreshToken)).status, 401);
  const refused = await history(viewer.headers);
  assert.equal(refused.status, 401);
  assert.match(refused.body.detail as string, /session of this access token has ended/);
  assert.equal((await history(tablet.headers)).status, 200, "the other device stays signed in");
});

Deno.test("a password change signs every session out and only the new password works", async () => {
  const viewer = await signedInAs(api, admin, "viewer");
  const other = await logIn(api, viewer.email, viewer.password, "tablet");
  const change = (current_password: string) =>
    api.call(
      "POST",
      "/v1/auth/password",
      { current_password, new_password: "a brand new password" },
      viewer.headers,
    );
  assert.equal((await change("wrong password")).status, 401);
  assert.equal((await change(viewer.password)).status, 204);
  assert.equal((await refresh(viewer.refreshToken)).status, 401);
  assert.equal((await refresh(other.refreshToken)).status, 401);
  for (const headers of [viewer.headers, other.headers]) {
    assert.equal((await api.call("GET", "/v1/me/history", undefined, headers)).status, 401);
  }
  const old = await api.call("POST", "/v1/auth/login", {
    email: viewer.email,
    password: viewer.password,
    device_id: "d",
  });
  assert.equal(old.status, 401);
  await logIn(api, viewer.email, "a brand new password");
});

Deno.test("a fourth device gets an error naming the limit; a known device signs in again", async () => {
  const viewer = await signedInAs(api, admin, "viewer"); // device "test-device"
  await logIn(api, viewer.email, viewer.password, "phone");
  await logIn(api, viewer.email, viewer.password, "tv");
  const fourth = await api.call("POST", "/v1/auth/login", {
    email: viewer.email,
    password: viewer.password,
    device_id: "laptop",
  });
  assert.equal(fourth.status, 409);
  assert.match(fourth.body.detail as string, /at most 3 devices/);
  const phoneAgain = await logIn(api, viewer.email, viewer.password, "phone");
  assert.ok(phoneAgain.accessToken);
  const out = await api.call("POST", "/v1/auth/logout", { refresh_token: phoneAgain.refreshToken });
  assert.equal(out.status, 204);
  await logIn(api, viewer.email, viewer.password, "laptop");
});

Deno.test("tampered, unsigned and malformed access tokens are refused with 401", async () => {
  const viewer = await signedInAs(api, admin, "viewer");
  const [header, payload, signature] = viewer.accessToken.split(".");
  const claims = JSON.parse(atob(payload!.replace(/-/g, "+").replace(/_/g, "/")));
  const asAdmin = btoa(JSON.stringify({ ...claims, role: "admin" })).replace(/=+$/, "")
    .replace(/\+/g, "-").replace(/\//g, "_");
  const none = btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "");
  for (
    const token of [`${header}.${asAdmin}.${signature}`, `${none}.${asAdmin}.`, "not-a-jwt"]
  ) {
    const answer = await api.call("GET", "/v1/projections", undefined, {
      authorization: `Bearer ${token}`,
    });
    assert.equal(answer.status, 401, token);
    assert.match(answer.body.detail as string, /not valid/);
  }
});

Deno.test("profiles: a session switches profile by refresh, and ids come from the token", async () => {
  const viewer = await signedInAs(api, admin, "viewer");
  const added = await api.call("POST", "/v1/me/profiles", { name: "Kids" }, viewer.headers);
  assert.equal(added.status, 201, JSON.stringify(added.body));
  const kids = await refresh(viewer.refreshToken, added.body.profile_id as string);
  assert.equal(kids.status, 200);
  assert.equal(kids.body.profile_id, added.body.profile_id);
  assert.deepEqual((kids.body.profiles as { name: string }[]).map((p) => p.name), [
    "Default",
    "Kids",
  ]);
  const unknown = await refresh(kids.body.refresh_token as string, "no-such-profile");
  assert.equal(unknown.status, 404);
});
