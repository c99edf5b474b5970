import { deciderSpec } from "../shared/decider-spec.ts";
import { ConflictError, NotFoundError } from "../shared/errors.ts";
import { showDecider } from "./show.ts";
import type { ShowEvent } from "./show-events.ts";

const spec = deciderSpec(showDecider);
const show_id = "0b9f5e0e-8d8f-4a51-a3f7-6a0e4f3d2c11";
const episode1 = "1e5a4a7c-5e0c-4f55-8f15-3cbbd1d3a001";
const episode2 = "1e5a4a7c-5e0c-4f55-8f15-3cbbd1d3a002";
const created: ShowEvent = {
  type: "ShowCreated",
  data: { show_id, title: "Dark", genre: "Mystery" },
};
const season1: ShowEvent = { type: "SeasonAdded", data: { show_id, season_number: 1 } };
const added = (episode_id: string, episode_number: number): ShowEvent => ({
  type: "EpisodeAdded",
  data: { show_id, episode_id, season_number: 1, episode_number },
});
const addEpisode = (episode_id: string, episode_number: number) => ({
  type: "AddEpisode" as const,
  data: { show_id, episode_id, season_number: 1, episode_number },
});

Deno.test("the first episode of a season adds the season too", () => {
  spec.given([created]).when(addEpisode(episode1, 1)).then([season1, added(episode1, 1)]);
  spec.given([created, season1]).when(addEpisode(episode1, 1)).then([added(episode1, 1)]);
});

Deno.test("an episode slot is held by one episode only", () => {
  spec.given([created, season1, added(episode1, 1)]).when(addEpisode(episode2, 1))
    .thenThrows(ConflictError, "already has an episode S1E1");
  spec.given([created, season1, added(episode1, 1)]).when(addEpisode(episode1, 2))
    .thenThrows(ConflictError, "is already S1E1");
});

Deno.test("repeating an episode reservation changes nothing", () => {
  spec.given([created, season1, added(episode1, 1)]).when(addEpisode(episode1, 1)).then([]);
});

Deno.test("a removed episode frees its slot", () => {
  const removed: ShowEvent = { type: "EpisodeRemoved", data: { show_id, episode_id: episode1 } };
  spec.given([created, season1, added(episode1, 1)])
    .when({ type: "RemoveEpisode", data: { show_id, episode_id: episode1 } }).then([removed]);
  spec.given([created, season1, added(episode1, 1), removed]).when(addEpisode(episode2, 1))
    .then([added(episode2, 1)]);
});

Deno.test("seasons are numbered once", () => {
  spec.given([created, season1]).when({ type: "AddSeason", data: { show_id, season_number: 1 } })
    .thenThrows(ConflictError, "already has season 1");
});

Deno.test("a show with episodes is not deleted; an empty one is, once", () => {
  spec.given([created, season1, added(episode1, 1)])
    .when({ type: "DeleteShow", data: { show_id } }).thenThrows(ConflictError, "delete them first");
  const deleted: ShowEvent = { type: "ShowDeleted", data: { show_id } };
  spec.given([created]).when({ type: "DeleteShow", data: { show_id } }).then([deleted]);
  spec.given([created, deleted]).when({ type: "DeleteShow", data: { show_id } }).thenThrows(
    NotFoundError,
  );
});
