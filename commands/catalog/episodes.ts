/**
 * Workflows that span a show and its episodes. An episode is a video with its own stream; its
 * season/episode slot belongs to the show. Adding one reserves the slot on the show, then creates
 * the video; deleting one frees the slot, then deletes the video. Each step is idempotent, so a
 * request repeated after a crash between the two steps completes the work.
 */
import type * as v from "valibot";
import type { EventStore } from "../../domain/ports/event-store.ts";
import { type CommandOptions, handleCommand, loadAggregate } from "../handle-command.ts";
import { shows, videos } from "./aggregates.ts";
import type { AddEpisodeBody } from "./schemas.ts";

export async function addEpisode(
  store: EventStore,
  showId: string,
  { id = crypto.randomUUID(), ...episode }: v.InferOutput<typeof AddEpisodeBody>,
  options: CommandOptions,
) {
  const slot = {
    episode_id: id,
    season_number: episode.season_number,
    episode_number: episode.episode_number,
  };
  await handleCommand(store, shows, showId, {
    type: "AddEpisode",
    data: { show_id: showId, ...slot },
  }, options);
  return await handleCommand(store, videos, id, {
    type: "CreateVideo",
    data: { video_id: id, content_type: "episode", show_id: showId, ...episode },
  }, options);
}

export async function deleteVideo(store: EventStore, videoId: string, options: CommandOptions) {
  const { state } = await loadAggregate(store, videos, videoId);
  const showId = state.status === "published" || state.status === "unpublished"
    ? state.video.show_id
    : undefined;
  if (showId) {
    const removal = { show_id: showId, episode_id: videoId };
    const { expectedVersion: _, ...showOptions } = options;
    await handleCommand(
      store,
      shows,
      showId,
      { type: "RemoveEpisode", data: removal },
      showOptions,
    );
  }
  return await handleCommand(store, videos, videoId, {
    type: "DeleteVideo",
    data: { video_id: videoId },
  }, options);
}
