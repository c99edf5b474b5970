import assert from "node:assert/strict";
import { testService } from "../../adapters/testing/service.ts";

const dark = { title: "Dark", genre: "Mystery", release_year: 2017, rating: "TV-MA" };

Deno.test("a show gets seasons and episodes, listed in order", async () => {
  const api = await testService();
  const { status, body: show } = await api.call("POST", "/v1/shows", dark);
  assert.equal(status, 201);
  assert.equal(
    (await api.call("POST", `/v1/shows/${show.id}/seasons`, {
      season_number: 1,
      title: "Season 1",
    })).status,
    201,
  );

  const second = await api.call("POST", `/v1/shows/${show.id}/episodes`, {
    season_number: 1,
    episode_number: 2,
    title: "Lies",
  });
  const first = await api.call("POST", `/v1/shows/${show.id}/episodes`, {
    season_number: 1,
    episode_number: 1,
    title: "Secrets",
  });
  const special = await api.call("POST", `/v1/shows/${show.id}/episodes`, {
    season_number: 0,
    episode_number: 1,
    title: "Behind",
  });
  for (const answer of [first, second, special]) assert.equal(answer.status, 201);
  assert.equal(first.body.content_type, "episode");
  assert.equal(first.body.show_id, show.id);
  assert.equal(first.headers.get("location"), `/v1/videos/${first.body.id}`);

  await api.settled();
  const read = await api.call("GET", `/v1/shows/${show.id}`);
  type Season = { season_number: number; title?: string; episodes: Record<string, unknown>[] };
  const outline = (read.body.seasons as Season[]).map((season) => ({
    ...season,
    episodes: season.episodes.map(({ id, episode_number }) => ({ id, episode_number })),
  }));
  assert.deepEqual(outline, [
    { season_number: 0, episodes: [{ id: special.body.id, episode_number: 1 }] },
    {
      season_number: 1,
      title: "Season 1",
      episodes: [{ id: first.body.id, episode_number: 1 }, {
        id: second.body.id,
        episode_number: 2,
      }],
    },
  ]);
  const episode = await api.call("GET", `/v1/videos/${first.body.id}`);
  assert.equal(episode.body.title, "Secrets");
  assert.equal(episode.body.show_title, "Dark");
});

Deno.test("an episode slot is taken once; deleting the episode frees it", async () => {
  const api = await testService();
  const { body: show } = await api.call("POST", "/v1/shows", dark);
  const slot = { season_number: 1, episode_number: 1 };
  const { body: episode } = await api.call("POST", `/v1/shows/${show.id}/episodes`, {
    ...slot,
    title: "Secrets",
  });
  const taken = await api.call("POST", `/v1/shows/${show.id}/episodes`, {
    ...slot,
    title: "Other",
  });
  assert.equal(taken.status, 409);
  assert.match(String(taken.body.detail), /already has an episode S1E1/);

  assert.equal((await api.call("DELETE", `/v1/shows/${show.id}`)).status, 409);
  assert.equal((await api.call("DELETE", `/v1/videos/${episode.id}`)).status, 204);
  assert.equal(
    (await api.call("POST", `/v1/shows/${show.id}/episodes`, { ...slot, title: "Again" })).status,
    201,
  );
});

Deno.test("repeating an episode create with its id after a partial failure completes it", async () => {
  const api = await testService();
  const { body: show } = await api.call("POST", "/v1/shows", dark);
  const id = crypto.randomUUID();
  // The slot was reserved, then the process stopped before the episode's own stream was written.
  await api.store.appendToStream(`show-${show.id}`, [{
    event_id: crypto.randomUUID(),
    type: "EpisodeAdded",
    schema_version: 1,
    data: { show_id: show.id as string, episode_id: id, season_number: 1, episode_number: 1 },
  }]);
  const retried = await api.call("POST", `/v1/shows/${show.id}/episodes`, {
    id,
    season_number: 1,
    episode_number: 1,
    title: "Secrets",
  });
  assert.equal(retried.status, 201);
  assert.equal(retried.body.id, id);
});

Deno.test("episodes of unknown shows and bad numbers are refused", async () => {
  const api = await testService();
  const unknown = await api.call("POST", `/v1/shows/${crypto.randomUUID()}/episodes`, {
    season_number: 1,
    episode_number: 1,
    title: "x",
  });
  assert.equal(unknown.status, 404);
  const { body: show } = await api.call("POST", "/v1/shows", dark);
  const bad = await api.call("POST", `/v1/shows/${show.id}/episodes`, {
    season_number: -1,
    episode_number: 0,
    title: "x",
  });
  assert.equal(bad.status, 400);
  assert.deepEqual((bad.body.errors as { path: string }[]).map((e) => e.path), [
    "season_number",
    "episode_number",
  ]);
  const renamed = await api.call("PATCH", `/v1/shows/${show.id}`, { title: "Dark (2017)" });
  assert.equal(renamed.body.title, "Dark (2017)");
  assert.equal(
    (await api.call("POST", `/v1/shows/${show.id}/unpublish`)).body.status,
    "unpublished",
  );
  assert.equal((await api.call("DELETE", `/v1/shows/${show.id}`)).status, 204);
  await api.settled();
  assert.equal((await api.call("GET", `/v1/shows/${show.id}`)).status, 404);
});
