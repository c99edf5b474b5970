import assert from "node:assert/strict";
import { type EpisodeInOrder, nextUp } from "./next-up.ts";

/** Given a show of two seasons, of three and two episodes, listed out of order. */
function show(completed: string[], unpublished: string[] = []): EpisodeInOrder[] {
  const slots: [string, number, number][] = [
    ["s2e1", 2, 1],
    ["s1e2", 1, 2],
    ["s1e1", 1, 1],
    ["special", 0, 1],
    ["s2e2", 2, 2],
    ["s1e3", 1, 3],
  ];
  return slots.map(([id, seasonNumber, episodeNumber]) => ({
    id,
    seasonNumber,
    episodeNumber,
    published: !unpublished.includes(id),
    completed: completed.includes(id),
  }));
}
const next = (episodes: EpisodeInOrder[]) => nextUp(episodes)?.id;

Deno.test("nothing watched: the first episode (specials aside)", () => {
  assert.equal(next(show([])), "s1e1");
  assert.equal(next(show(["special"])), "s1e1");
});

Deno.test("the episode after the last completed one, across a season boundary", () => {
  assert.equal(next(show(["s1e1"])), "s1e2");
  assert.equal(next(show(["s1e1", "s1e2", "s1e3"])), "s2e1");
  assert.equal(next(show(["s1e3"])), "s2e1", "skipping ahead counts");
  assert.equal(next(show(["s2e1", "s1e1"])), "s2e2", "last by order, not by time");
});

Deno.test("none when the last episode is done; unpublished episodes are skipped", () => {
  assert.equal(next(show(["s2e2"])), undefined);
  assert.equal(next(show(["s1e3"], ["s2e1"])), "s2e2");
  assert.equal(next(show(["s2e1"], ["s2e2"])), undefined);
  assert.equal(next([]), undefined);
});
