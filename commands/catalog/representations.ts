/**
 * Catalog resources as the API shows them, built from an aggregate's state. Until the catalog read
 * model exists (projection engine issue), reads after writes are answered from this state.
 */
import type { ShowState } from "../../domain/catalog/show.ts";
import type { VideoState } from "../../domain/catalog/video.ts";
import { NotFoundError } from "../../domain/shared/errors.ts";

export function videoResource(state: VideoState, version: number, id: string) {
  if (state.status === "absent" || state.status === "deleted") {
    throw new NotFoundError(`video ${id} does not exist`);
  }
  const { video_id, ...details } = state.video;
  return { id: video_id, ...details, version };
}

export function showResource(state: ShowState, version: number, id: string) {
  if (state.status === "absent" || state.status === "deleted") {
    throw new NotFoundError(`show ${id} does not exist`);
  }
  const { show_id, seasons, episodes, ...details } = state.show;
  return {
    id: show_id,
    ...details,
    version,
    seasons: seasons.map((season) => ({
      ...season,
      episodes: episodes
        .filter((e) => e.season_number === season.season_number)
        .sort((a, b) => a.episode_number - b.episode_number)
        .map((e) => ({ id: e.episode_id, episode_number: e.episode_number })),
    })),
  };
}
