import assert from "node:assert/strict";
import { testService } from "../../adapters/testing/service.ts";
import { Leaderboards } from "./leaderboards.ts";

const api = await testService();

async function createVideo(contentType: string, genre: string): Promise<string> {
  const created = await api.call("POST", "/v1/videos", {
    content_type: contentType,
    title: `${genre} ${contentType}`,
    genre,
    release_year: 2020,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.id as string;
}

/** Telemetry of a session on `content` that played `playedSec` and last reported `ageMs` ago. */
function session(content: string, playedSec: number, ageMs: number) {
  const id = crypto.randomUUID();
  const end = Date.now() - ageMs;
  const event = (seq: number, type: string, at: number, extra = {}) => ({
    event_id: crypto.randomUUID(),
    type,
    session_id: id,
    seq,
    content_id: content,
    timestamp: new Date(at).toISOString(),
    ...extra,
  });
  return [
    event(0, "play", end - playedSec * 1000 - 1000),
    event(1, "first_frame", end - playedSec * 1000),
    event(2, "heartbeat", end, { played_ms: playedSec * 1000 }),
  ];
}

async function send(...sessions: ReturnType<typeof session>[]) {
  const sent = await api.call("POST", "/v1/events", { events: sessions.flat() });
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  await api.settled();
}

type Item = { rank: number; content_id: string; views: number; title: string | null };
const top = async (query: string) => {
  const answer = await api.call("GET", `/v1/analytics/top?${query}`);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return (answer.body.items as Item[]).map((item) => `${item.content_id}:${item.views}`);
};

Deno.test("top-K per window, genre and content type, and a video's stats", async () => {
  const genre = `genre-${crypto.randomUUID().slice(0, 8)}`;
  const [movie, short, other] = [
    await createVideo("movie", genre),
    await createVideo("short", genre),
    await createVideo("movie", `${genre}-other`),
  ];
  await send(
    session(movie, 30, 60_000),
    session(movie, 12, 2 * 3_600_000), // two hours ago: on the day board, not the hour board
    session(short, 15, 60_000),
    session(short, 20, 120_000),
    session(short, 3, 60_000), // too short to count
    session(other, 40, 60_000),
  );

  assert.deepEqual(await top(`window=hour&genre=${genre}`), [`${short}:2`, `${movie}:1`]);
  // A tie is broken by content id, descending (as Redis orders equal scores); genre ignores case.
  const tied = [short, movie].sort().reverse().map((id) => `${id}:2`);
  assert.deepEqual(await top(`window=day&genre=${genre.toUpperCase()}`), tied);
  assert.deepEqual(await top(`window=week&genre=${genre}&content_type=movie`), [`${movie}:2`]);
  assert.deepEqual(await top(`window=all&genre=${genre}&k=1`), tied.slice(0, 1));

  const answer = await api.call("GET", `/v1/analytics/top?window=day&k=100`);
  assert.equal(answer.body.source, "sql");
  const item = (answer.body.items as Item[]).find((i) => i.content_id === other);
  assert.equal(item?.title, `${genre}-other movie`);

  const stats = await api.call("GET", `/v1/videos/${movie}/stats`);
  assert.equal(stats.status, 200);
  assert.deepEqual(stats.body.views, {
    total: 2,
    last_hour: 1,
    last_day: 2,
    last_week: 2,
    last_month: 2,
  });
});

Deno.test("bad analytics queries are 400 with reasons; an unknown video's stats are 404", async () => {
  for (const query of ["k=0", "k=101", "window=decade", "content_type=song", "extra=1"]) {
    const answer = await api.call("GET", `/v1/analytics/top?${query}`);
    assert.equal(answer.status, 400, query);
    assert.equal(answer.headers.get("content-type"), "application/problem+json");
  }
  assert.equal((await api.call("GET", `/v1/videos/${crypto.randomUUID()}/stats`)).status, 404);
  assert.equal((await api.call("GET", "/v1/videos/not-a-uuid/stats")).status, 400);
});

Deno.test("the OpenAPI document describes the analytics routes and their parameters", async () => {
  const document = await (await api.app.request("/openapi.json")).json();
  const top = document.paths["/v1/analytics/top"].get;
  const names = (top.parameters as { name: string }[]).map((p) => p.name).sort();
  assert.deepEqual(names, ["content_type", "genre", "k", "window"]);
  assert.ok(document.paths["/v1/videos/{id}/stats"].get.responses["404"]);
});

Deno.test("a top-K answer is reused for the cache time, then computed again", async () => {
  const genre = `cached-${crypto.randomUUID().slice(0, 8)}`;
  const movie = await createVideo("movie", genre);
  const boards = new Leaderboards({ sql: api.sql, cacheMs: 1_000 });
  const query = { window: "day" as const, k: 5, genre };
  const views = async (at: number) => (await boards.top(query, at)).items.map((i) => i.views);
  const t0 = Date.now();
  await send(session(movie, 30, 60_000));
  assert.deepEqual(await views(t0), [1]);
  await send(session(movie, 30, 60_000));
  assert.deepEqual(await views(t0 + 900), [1]);
  assert.deepEqual(await views(t0 + 1_100), [2]);
});

Deno.test("a top-K answer is JSON naming its own query, also when it comes from the cache", async () => {
  const genre = `named-${crypto.randomUUID().slice(0, 8)}`;
  // The same genre in other case is another query with an answer of its own (the same items).
  for (const asked of [genre, genre.toUpperCase(), genre, genre.toUpperCase()]) {
    const answer = await api.call("GET", `/v1/analytics/top?window=week&k=3&genre=${asked}`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get("content-type"), "application/json");
    const { window, k, genre: named, items } = answer.body;
    assert.deepEqual({ window, k, genre: named, items }, {
      window: "week",
      k: 3,
      genre: asked,
      items: [],
    });
  }
});
