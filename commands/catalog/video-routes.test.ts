import assert from "node:assert/strict";
import { testService } from "../../adapters/testing/service.ts";

const arrival = { content_type: "movie", title: "Arrival", genre: "Sci-Fi", release_year: 2016 };

Deno.test("a created movie reads back with its location and version", async () => {
  const api = await testService();
  const created = await api.call("POST", "/v1/videos", { ...arrival, tags: ["aliens", "aliens"] });
  assert.equal(created.status, 201);
  assert.equal(created.headers.get("location"), `/v1/videos/${created.body.id}`);
  assert.equal(created.headers.get("etag"), '"1"');
  assert.deepEqual(created.body.tags, ["aliens"]);

  assert.deepEqual(created.body, {
    ...arrival,
    id: created.body.id,
    tags: ["aliens"],
    status: "published",
    version: 1,
  });

  await api.settled();
  const { status, body: read } = await api.call("GET", `/v1/videos/${created.body.id}`);
  assert.equal(status, 200);
  const { created_at, updated_at, ...rest } = read;
  assert.deepEqual(rest, created.body);
  assert.equal(created_at, updated_at);
});

Deno.test("creating with an id that exists answers 409 and stores nothing twice", async () => {
  const api = await testService();
  const id = crypto.randomUUID();
  assert.equal((await api.call("POST", "/v1/videos", { ...arrival, id })).status, 201);
  const again = await api.call("POST", "/v1/videos", { ...arrival, id });
  assert.equal(again.status, 409);
  assert.match(String(again.body.detail), /already exists/);
  assert.equal((await api.store.readStream(`video-${id}`)).length, 1);
});

Deno.test("metadata updates apply, clear with null, and honour If-Match", async () => {
  const api = await testService();
  const { body: { id } } = await api.call("POST", "/v1/videos", arrival);
  const updated = await api.call("PATCH", `/v1/videos/${id}`, { rating: "PG-13", genre: null });
  assert.equal(updated.status, 200);
  assert.equal(updated.body.rating, "PG-13");
  assert.equal("genre" in updated.body, false);
  assert.equal(updated.body.version, 2);

  const stale = await api.call("PATCH", `/v1/videos/${id}`, { title: "Stale" }, {
    "if-match": '"1"',
  });
  assert.equal(stale.status, 409);
  const fresh = await api.call("PATCH", `/v1/videos/${id}`, { title: "Arrival (2016)" }, {
    "if-match": '"2"',
  });
  assert.equal(fresh.status, 200);
});

Deno.test("unpublish, publish and delete", async () => {
  const api = await testService();
  const { body: { id } } = await api.call("POST", "/v1/videos", arrival);
  assert.equal((await api.call("POST", `/v1/videos/${id}/unpublish`)).body.status, "unpublished");
  assert.equal((await api.call("POST", `/v1/videos/${id}/publish`)).body.status, "published");
  assert.equal((await api.call("DELETE", `/v1/videos/${id}`)).status, 204);
  await api.settled();
  assert.equal((await api.call("GET", `/v1/videos/${id}`)).status, 404);
  assert.equal((await api.call("DELETE", `/v1/videos/${id}`)).status, 404);
});

Deno.test("bad input gets a 4xx problem naming each field, and nothing is stored", async () => {
  const api = await testService();
  const storedBefore = (await api.store.readAll()).length;
  const cases: [unknown, string[]][] = [
    [{ content_type: "movie" }, ["title"]],
    [{ ...arrival, release_year: "2016" }, ["release_year"]],
    [{ ...arrival, release_year: 1700 }, ["release_year"]],
    [{ ...arrival, content_type: "podcast" }, ["content_type"]],
    [{ ...arrival, content_type: "episode" }, ["content_type"]],
    [{ ...arrival, year: 2016 }, ["year"]],
    [{ ...arrival, tags: "aliens" }, ["tags"]],
    [[arrival], ["content_type", "title", "0"]],
  ];
  for (const [body, fields] of cases) {
    const answer = await api.call("POST", "/v1/videos", body);
    assert.equal(answer.status, 400, JSON.stringify(body));
    const errors = answer.body.errors as { path: string }[];
    assert.deepEqual(errors.map((e) => e.path), fields, JSON.stringify(answer.body));
  }
  assert.equal((await api.call("GET", "/v1/videos/not-a-uuid")).status, 400);
  assert.equal((await api.call("PATCH", `/v1/videos/${crypto.randomUUID()}`, {})).status, 400);
  assert.equal(
    (await api.call("PATCH", `/v1/videos/${crypto.randomUUID()}`, { title: "x" })).status,
    404,
  );
  assert.equal((await api.store.readAll()).length, storedBefore);
});
