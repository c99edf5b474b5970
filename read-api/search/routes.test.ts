import assert from "node:assert/strict";
import { testService } from "../../adapters/testing/service.ts";
import { type SearchPort, SearchUnavailableError } from "../../domain/ports/search.ts";

// Words of their own, so other tests' items in the shared test service do not interfere.
const tag = crypto.randomUUID().slice(0, 6).replace(/\d/g, "q");

Deno.test("as a new user: create a show and movies, search with a typo and a filter, suggest", async () => {
  const api = await testService();
  const movie = (title: string, release_year: number) =>
    api.call("POST", "/v1/videos", { content_type: "movie", title, release_year, genre: "Sci-Fi" });
  await movie(`Galaxyquest ${tag}`, 1999);
  await movie(`Galaxyquest ${tag} Returns`, 2024);
  const show = await api.call("POST", "/v1/shows", { title: `Nebula ${tag}`, genre: "Drama" });
  await api.call("POST", `/v1/shows/${show.body.id}/episodes`, {
    season_number: 1,
    episode_number: 1,
    title: "Arrival",
  });
  await api.settled();

  const typo = await api.call("GET", `/v1/search?q=galaxyqest+${tag}&sort=relevance`);
  assert.equal(typo.status, 200);
  const titles = (typo.body.hits as { title: string }[]).map((hit) => hit.title);
  assert.equal(titles[0], `Galaxyquest ${tag}`);
  assert.equal(typo.body.total, 2);

  const filtered = await api.call(
    "GET",
    `/v1/search?q=galaxyquest+${tag}&year_from=2000&type=movie`,
  );
  assert.deepEqual((filtered.body.hits as { title: string }[]).map((hit) => hit.title), [
    `Galaxyquest ${tag} Returns`,
  ]);
  assert.deepEqual((filtered.body.facets as { release_year: unknown }).release_year, { "2024": 1 });

  const episodes = await api.call("GET", `/v1/search?q=nebula+${tag}`);
  const [episode] = episodes.body.hits as { title: string; highlight: { show_title: string } }[];
  assert.equal(episode?.title, "Arrival");
  assert.equal(episode?.highlight.show_title, `<mark>Nebula</mark> <mark>${tag}</mark>`);

  const suggest = await api.call("GET", `/v1/search/suggest?q=${tag}+galax`);
  assert.equal(suggest.status, 200);
  assert.equal((suggest.body.suggestions as unknown[]).length, 2);
});

Deno.test("bad search queries are answered 400 naming the field", async () => {
  const api = await testService();
  for (
    const query of ["type=show", "limit=0", "year_from=2020&year_to=2010", "nope=1", "offset=1000"]
  ) {
    const answer = await api.call("GET", `/v1/search?${query}`);
    assert.equal(answer.status, 400, query);
  }
  assert.equal((await api.call("GET", "/v1/search/suggest?q=")).status, 400);
});

const down: SearchPort = {
  search: () => Promise.reject(new SearchUnavailableError("Meilisearch cannot search now")),
  suggest: () => Promise.reject(new SearchUnavailableError("Meilisearch cannot search now")),
};

Deno.test("a search outage answers 503 with Retry-After on search only", async () => {
  const api = await testService({ search: down });
  assert.equal((await api.call("GET", "/v1/videos")).status, 200);
  for (const path of ["/v1/search?q=x", "/v1/search/suggest?q=x"]) {
    const answer = await api.call("GET", path);
    assert.equal(answer.status, 503, path);
    assert.equal(answer.headers.get("retry-after"), "5");
    assert.equal(answer.headers.get("content-type"), "application/problem+json");
  }
});
