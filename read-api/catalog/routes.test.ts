import assert from "node:assert/strict";
import { testService } from "../../adapters/testing/service.ts";

Deno.test("GET /v1/videos filters, sorts and pages the catalog read model", async () => {
  const api = await testService();
  // A genre of this run's own, so other tests' videos in the shared store do not count.
  const genre = `genre-${crypto.randomUUID().slice(0, 8)}`;
  const movies = [
    { title: "Blade Runner", release_year: 1982, content_type: "movie" },
    { title: "arrival", release_year: 2016, content_type: "movie" },
    { title: "Cosmos", release_year: 1980, content_type: "documentary" },
    { title: "Dune", release_year: 2021, content_type: "movie" },
  ];
  const ids: Record<string, string> = {};
  for (const movie of movies) {
    ids[movie.title] = (await api.call("POST", "/v1/videos", { ...movie, genre })).body
      .id as string;
  }
  await api.call("POST", `/v1/videos/${ids["Dune"]}/unpublish`);
  await api.settled();

  const titles = async (query: string) => {
    const answer = await api.call("GET", `/v1/videos?genre=${genre}&${query}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return {
      titles: (answer.body.items as { title: string }[]).map((v) => v.title),
      total: answer.body.total,
    };
  };
  assert.deepEqual(await titles("sort=title"), {
    titles: ["arrival", "Blade Runner", "Cosmos"],
    total: 3,
  });
  assert.deepEqual(await titles("sort=year"), {
    titles: ["Cosmos", "Blade Runner", "arrival"],
    total: 3,
  });
  assert.deepEqual(await titles("sort=-year&content_type=movie"), {
    titles: ["arrival", "Blade Runner"],
    total: 2,
  });
  assert.deepEqual(await titles("year=1980"), { titles: ["Cosmos"], total: 1 });
  assert.deepEqual(await titles("sort=title&limit=2&offset=1"), {
    titles: ["Blade Runner", "Cosmos"],
    total: 3,
  });
  assert.deepEqual(await titles("status=unpublished"), { titles: ["Dune"], total: 1 });
  assert.equal((await titles("status=all")).total, 4);
  assert.deepEqual((await titles(`sort=newest`)).titles, ["Cosmos", "arrival", "Blade Runner"]);
});

Deno.test("bad list queries get a 400 naming the parameter", async () => {
  const api = await testService();
  for (
    const [query, field] of [
      ["limit=0", "limit"],
      ["limit=500", "limit"],
      ["offset=-1", "offset"],
      ["sort=rating", "sort"],
      ["content_type=podcast", "content_type"],
      ["year=soon", "year"],
      ["colour=red", "colour"],
    ]
  ) {
    const answer = await api.call("GET", `/v1/videos?${query}`);
    assert.equal(answer.status, 400, query);
    assert.deepEqual((answer.body.errors as { path: string }[]).map((e) => e.path), [field], query);
  }
});

Deno.test("a deleted or unknown show or video is a 404 problem", async () => {
  const api = await testService();
  for (const path of [`/v1/videos/${crypto.randomUUID()}`, `/v1/shows/${crypto.randomUUID()}`]) {
    const answer = await api.call("GET", path);
    assert.equal(answer.status, 404);
    assert.equal(answer.headers.get("content-type"), "application/problem+json");
  }
});
