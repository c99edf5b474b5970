import assert from "node:assert/strict";
import { type TestService, testService } from "../../adapters/testing/service.ts";
import { scriptedViewer } from "./viewer-script.ts";

const EPISODE_SEC = 1_200;
type Item = Record<string, unknown> & { content_id: string; video?: Record<string, unknown> };

/** A show with two seasons: S1E1, S1E2, S2E1 (and a special), each 20 minutes long. */
async function twoSeasonShow(api: TestService) {
  const { body: show } = await api.call("POST", "/v1/shows", { title: "Dark" });
  const episode = async (season_number: number, episode_number: number, title: string) => {
    const answer = await api.call("POST", `/v1/shows/${show.id}/episodes`, {
      season_number,
      episode_number,
      title,
      duration_sec: EPISODE_SEC,
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body.id as string;
  };
  for (const season_number of [0, 1, 2]) {
    await api.call("POST", `/v1/shows/${show.id}/seasons`, { season_number });
  }
  const ids = {
    s1e2: await episode(1, 2, "Lies"),
    s1e1: await episode(1, 1, "Secrets"),
    s2e1: await episode(2, 1, "Beginnings and Endings"),
    special: await episode(0, 1, "Behind the scenes"),
  };
  await api.settled();
  return { showId: show.id as string, ...ids };
}

const api = await testService();

Deno.test("a viewer stops at 40 %: continue watching lists the episode; finishing it moves next up on, across seasons", async () => {
  const show = await twoSeasonShow(api);
  const viewer = scriptedViewer(api);
  const nextUp = async () => {
    const answer = await viewer.get(`/v1/shows/${show.showId}/next-up`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.episode as Item | null;
  };
  assert.equal((await nextUp())?.content_id, show.s1e1, "nothing watched: the first episode");

  await viewer.play(show.s1e1, { toSec: 480, durationSec: EPISODE_SEC });
  const watching = await viewer.get("/v1/me/continue-watching");
  assert.equal(watching.status, 200);
  const [item, ...others] = watching.body.items as Item[];
  assert.equal(others.length, 0);
  assert.deepEqual(
    [item!.content_id, item!.position_sec, item!.percent, item!.resumable, item!.completed],
    [show.s1e1, 480, 40, true, false],
  );
  assert.deepEqual(
    [item!.video?.title, item!.video?.show_title, item!.video?.season_number],
    ["Secrets", "Dark", 1],
  );
  const position = await viewer.get(`/v1/me/positions/${show.s1e1}`);
  assert.equal(position.body.resume_position_sec, 480);
  const inProgress = await nextUp();
  assert.deepEqual(
    [inProgress?.content_id, inProgress?.resume_position_sec],
    [show.s1e1, 480],
    "an episode in progress is next, with where to resume",
  );

  await viewer.play(show.s1e1, {
    fromSec: 480,
    toSec: EPISODE_SEC,
    durationSec: EPISODE_SEC,
    ended: true,
  });
  assert.equal((await nextUp())?.content_id, show.s1e2);
  assert.deepEqual((await viewer.get("/v1/me/continue-watching")).body.items, []);
  const finished = await viewer.get(`/v1/me/positions/${show.s1e1}`);
  assert.deepEqual([finished.body.completed, finished.body.resumable], [true, false]);

  await viewer.play(show.s1e2, { toSec: 1_150, durationSec: EPISODE_SEC }); // 96 %: completed
  assert.equal((await nextUp())?.content_id, show.s2e1, "across the season boundary");
  await viewer.play(show.s2e1, { toSec: EPISODE_SEC, durationSec: EPISODE_SEC, ended: true });
  assert.equal(await nextUp(), null, "the last episode is done");
});

Deno.test("history is per user and profile, newest first, in pages", async () => {
  const show = await twoSeasonShow(api);
  const viewer = scriptedViewer(api);
  await viewer.play(show.s1e1, { toSec: 600, durationSec: EPISODE_SEC });
  await viewer.play(show.s2e1, { toSec: 100, durationSec: EPISODE_SEC });
  await viewer.play("not-in-the-catalog", { toSec: 30, durationSec: 60 });

  const page = async (query: string, who = viewer) => {
    const answer = await who.get(`/v1/me/history?${query}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return {
      ids: (answer.body.items as Item[]).map((item) => item.content_id),
      total: answer.body.total,
    };
  };
  assert.deepEqual(await page(""), {
    ids: ["not-in-the-catalog", show.s2e1, show.s1e1],
    total: 3,
  });
  assert.deepEqual(await page("limit=1&offset=1"), { ids: [show.s2e1], total: 3 });
  const history = (await viewer.get("/v1/me/history")).body.items as Item[];
  assert.equal(history[0]!.video, undefined, "an item the catalog does not know has no video");

  const stranger = scriptedViewer(api);
  assert.deepEqual(await page("", stranger), { ids: [], total: 0 });
  assert.deepEqual((await stranger.get("/v1/me/continue-watching")).body.items, []);
  assert.equal((await stranger.get(`/v1/me/positions/${show.s1e1}`)).status, 404);
  assert.equal(
    ((await stranger.get(`/v1/shows/${show.showId}/next-up`)).body.episode as Item).content_id,
    show.s1e1,
  );
  const kids = scriptedViewer(api, viewer.headers["x-user-id"]!, "kids");
  assert.deepEqual(await page("", kids), { ids: [], total: 0 }, "another profile of the same user");
});

Deno.test("bad input is a 400 problem naming the parameter; no user is a 401; unknown is a 404", async () => {
  const viewer = scriptedViewer(api);
  for (
    const [path, field] of [
      ["/v1/me/continue-watching?limit=0", "limit"],
      ["/v1/me/history?limit=101", "limit"],
      ["/v1/me/history?offset=-1", "offset"],
      ["/v1/me/history?page=2", "page"],
      ["/v1/shows/not-a-uuid/next-up", "id"],
    ]
  ) {
    const answer = await viewer.get(path!);
    assert.equal(answer.status, 400, path);
    assert.deepEqual((answer.body.errors as { path: string }[]).map((e) => e.path), [field], path);
  }
  const long = await api.call("GET", "/v1/me/history", undefined, { "x-user-id": "u".repeat(129) });
  assert.equal(long.status, 400);
  for (const path of ["/v1/me/history", "/v1/me/continue-watching?limit=0", "/v1/me/positions/x"]) {
    const answer = await api.call("GET", path);
    assert.equal(answer.status, 401, path);
    assert.equal(answer.headers.get("content-type"), "application/problem+json");
  }
  const unknownShow = await viewer.get(`/v1/shows/${crypto.randomUUID()}/next-up`);
  assert.equal(unknownShow.status, 404);
  assert.equal(unknownShow.headers.get("content-type"), "application/problem+json");
});
