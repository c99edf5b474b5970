import assert from "node:assert/strict";
import { Hono } from "hono";
import { createApp } from "../../adapters/http/app.ts";
import { jsonLogger } from "../../adapters/logging/json-logger.ts";
import { identify } from "../../adapters/http/middleware/identity.ts";
import { authOn, signedInAdmin, signedInAs } from "../../adapters/testing/auth.ts";
import { testService } from "../../adapters/testing/service.ts";
import { playbackAccess } from "./playback-access.ts";

const api = await testService();

/** A stand-in for the playback route: the geo check in front of a handler that answers 200. */
function playbackApp(countryHeader?: string) {
  const videos = new Hono().get(
    "/:id/playback",
    playbackAccess({ sql: api.sql, countryHeader }),
    (c) => c.json({ playing: c.req.param("id") }),
  );
  return createApp({
    logger: jsonLogger("silent"),
    features: [{ path: "/videos", app: videos }],
    readiness: {},
    maxBodyBytes: 1024,
    version: "test",
  });
}

async function restrictedVideo(geo_restriction: unknown): Promise<string> {
  const created = await api.call("POST", "/v1/videos", { content_type: "movie", title: "Cidade" });
  const id = created.body.id as string;
  const put = await api.call("PUT", `/v1/videos/${id}/geo-restriction`, { geo_restriction });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.deepEqual(put.body.geo_restriction, geo_restriction);
  await api.settled();
  return id;
}

Deno.test("a restricted video plays only from the countries its restriction allows", async () => {
  const app = playbackApp("cf-ipcountry");
  const id = await restrictedVideo({ mode: "allow", countries: ["BR", "PT"] });
  const from = async (country?: string) =>
    (await app.request(`/v1/videos/${id}/playback`, {
      headers: country ? { "cf-ipcountry": country } : {},
    })).status;
  assert.deepEqual([await from("br"), await from("PT"), await from("US"), await from()], [
    200,
    200,
    451,
    451,
  ]);
  const refused = await app.request(`/v1/videos/${id}/playback`, {
    headers: { "cf-ipcountry": "US" },
  });
  assert.equal(refused.headers.get("content-type"), "application/problem+json");
  assert.match((await refused.json()).detail, /not available in your country \(US\)/);

  const read = await api.call("GET", `/v1/videos/${id}`);
  assert.deepEqual(read.body.geo_restriction, { mode: "allow", countries: ["BR", "PT"] });
});

Deno.test("lifting the restriction, or no configured country header, lets everyone play", async () => {
  const id = await restrictedVideo({ mode: "block", countries: ["US"] });
  const app = playbackApp("cf-ipcountry");
  const us = { headers: { "cf-ipcountry": "US" } };
  assert.equal((await app.request(`/v1/videos/${id}/playback`, us)).status, 451);
  assert.equal((await playbackApp().request(`/v1/videos/${id}/playback`, us)).status, 200);
  const lifted = await api.call("PUT", `/v1/videos/${id}/geo-restriction`, {
    geo_restriction: null,
  });
  assert.equal(lifted.status, 200);
  await api.settled();
  assert.equal((await app.request(`/v1/videos/${id}/playback`, us)).status, 200);
  const bad = await api.call("PUT", `/v1/videos/${id}/geo-restriction`, {
    geo_restriction: { mode: "allow", countries: ["Brazil"] },
  });
  assert.equal(bad.status, 400);
  assert.deepEqual((bad.body.errors as { path: string }[]).map((e) => e.path), [
    "geo_restriction.countries.0",
  ]);
});

Deno.test("an unpublished video's playback is for editors only: viewers get 404", async () => {
  const auth = authOn();
  const secured = await testService({ auth });
  const admin = await signedInAdmin(secured, auth);
  const viewer = await signedInAs(secured, admin, "viewer");
  const editor = await signedInAs(secured, admin, "editor");
  const created = await secured.call(
    "POST",
    "/v1/videos",
    { content_type: "movie", title: "Draft" },
    editor.headers,
  );
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id as string;
  await secured.call("POST", `/v1/videos/${id}/unpublish`, undefined, editor.headers);
  await secured.settled();
  const videos = new Hono().get(
    "/:id/playback",
    playbackAccess({ sql: secured.sql }),
    (c) => c.json({ playing: c.req.param("id") }),
  );
  const app = createApp({
    logger: jsonLogger("silent"),
    guards: [identify(auth)],
    features: [{ path: "/videos", app: videos }],
    readiness: {},
    maxBodyBytes: 1024,
    version: "test",
  });
  const play = (headers: Record<string, string>) =>
    app.request(`/v1/videos/${id}/playback`, { headers });
  const refused = await play(viewer.headers);
  assert.equal(refused.status, 404);
  assert.match((await refused.json()).detail, /is not published/);
  assert.equal((await play(editor.headers)).status, 200);

  await secured.call("POST", `/v1/videos/${id}/publish`, undefined, editor.headers);
  await secured.settled();
  assert.equal((await play(viewer.headers)).status, 200);
});
