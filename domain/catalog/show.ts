/**
 * The show decider. A show owns its seasons and the season/episode slots; each episode is a video
 * with a stream of its own, so the slot is reserved here first (where numbering conflicts are
 * decided) and the episode video is created next (see commands/catalog/episodes.ts).
 */
import type { Decider } from "../shared/decider.ts";
import { ConflictError, NotFoundError } from "../shared/errors.ts";
import type { ShowCreatedData, ShowEvent } from "./show-events.ts";
import type { MetadataChanges } from "./values.ts";
import { applyChanges, effectiveChanges } from "./metadata.ts";
import type { VideoStatus } from "./video.ts";

export interface EpisodeSlot {
  episode_id: string;
  season_number: number;
  episode_number: number;
}

export interface ShowDetails extends ShowCreatedData {
  status: VideoStatus;
  seasons: { season_number: number; title?: string }[];
  episodes: EpisodeSlot[];
}

export type ShowState =
  | { status: "absent" }
  | { status: "deleted"; show: ShowDetails }
  | { status: VideoStatus; show: ShowDetails };

type ShowOnly = { show_id: string };
export type ShowCommand =
  | { type: "CreateShow"; data: ShowCreatedData }
  | { type: "UpdateShowMetadata"; data: ShowOnly & { changes: MetadataChanges } }
  | { type: "AddSeason"; data: ShowOnly & { season_number: number; title?: string } }
  | { type: "AddEpisode"; data: ShowOnly & EpisodeSlot }
  | { type: "RemoveEpisode"; data: ShowOnly & { episode_id: string } }
  | { type: "PublishShow"; data: ShowOnly }
  | { type: "UnpublishShow"; data: ShowOnly }
  | { type: "DeleteShow"; data: ShowOnly };

export const showDecider: Decider<ShowCommand, ShowEvent, ShowState> = {
  initialState: () => ({ status: "absent" }),

  evolve(state, event) {
    if (event.type === "ShowCreated") {
      const show = { ...event.data, status: "published" as const, seasons: [], episodes: [] };
      return { status: "published", show };
    }
    if (state.status === "absent") return state;
    const show = state.show;
    switch (event.type) {
      case "ShowMetadataUpdated":
        return { ...state, show: applyChanges(show, event.data.changes) };
      case "SeasonAdded": {
        const { season_number, title } = event.data;
        const seasons = [...show.seasons, { season_number, ...(title ? { title } : {}) }]
          .sort((a, b) => a.season_number - b.season_number);
        return { ...state, show: { ...show, seasons } };
      }
      case "EpisodeAdded": {
        const { show_id: _, ...slot } = event.data;
        return { ...state, show: { ...show, episodes: [...show.episodes, slot] } };
      }
      case "EpisodeRemoved": {
        const episodes = show.episodes.filter((e) => e.episode_id !== event.data.episode_id);
        return { ...state, show: { ...show, episodes } };
      }
      case "ShowPublished":
      case "ShowUnpublished": {
        if (state.status === "deleted") return state;
        const status = event.type === "ShowPublished" ? "published" : "unpublished";
        return { status, show: { ...show, status } };
      }
      case "ShowDeleted":
        return { status: "deleted", show };
    }
  },

  decide(command, state) {
    const { show_id } = command.data;
    if (command.type === "CreateShow") {
      if (state.status !== "absent") throw new ConflictError(`show ${show_id} already exists`);
      return [{ type: "ShowCreated", data: command.data }];
    }
    if (state.status === "absent" || state.status === "deleted") {
      throw new NotFoundError(`show ${show_id} does not exist`);
    }
    const show = state.show;
    switch (command.type) {
      case "UpdateShowMetadata": {
        const changes = effectiveChanges(show, command.data.changes);
        return changes ? [{ type: "ShowMetadataUpdated", data: { show_id, changes } }] : [];
      }
      case "AddSeason": {
        const exists = show.seasons.some((s) => s.season_number === command.data.season_number);
        if (exists) {
          throw new ConflictError(
            `show ${show_id} already has season ${command.data.season_number}`,
          );
        }
        return [{ type: "SeasonAdded", data: command.data }];
      }
      case "AddEpisode":
        return addEpisode(show, command.data);
      case "RemoveEpisode": {
        const held = show.episodes.some((e) => e.episode_id === command.data.episode_id);
        return held ? [{ type: "EpisodeRemoved", data: command.data }] : [];
      }
      case "PublishShow":
        return state.status === "published" ? [] : [{ type: "ShowPublished", data: { show_id } }];
      case "UnpublishShow":
        return state.status === "unpublished"
          ? []
          : [{ type: "ShowUnpublished", data: { show_id } }];
      case "DeleteShow":
        if (show.episodes.length > 0) {
          throw new ConflictError(
            `show ${show_id} still has ${show.episodes.length} episode(s); delete them first`,
          );
        }
        return [{ type: "ShowDeleted", data: { show_id } }];
    }
  },
};

/** Reserves the slot; repeating the same reservation changes nothing, so a retried create is safe. */
function addEpisode(show: ShowDetails, slot: ShowOnly & EpisodeSlot): ShowEvent[] {
  const { episode_id, season_number, episode_number } = slot;
  const label = `S${season_number}E${episode_number}`;
  const mine = show.episodes.find((e) => e.episode_id === episode_id);
  if (mine) {
    if (mine.season_number === season_number && mine.episode_number === episode_number) return [];
    throw new ConflictError(
      `episode ${episode_id} is already S${mine.season_number}E${mine.episode_number}`,
    );
  }
  const taken = show.episodes.some((e) =>
    e.season_number === season_number && e.episode_number === episode_number
  );
  if (taken) throw new ConflictError(`show ${show.show_id} already has an episode ${label}`);
  const seasonExists = show.seasons.some((s) => s.season_number === season_number);
  return [
    ...(seasonExists
      ? []
      : [{ type: "SeasonAdded" as const, data: { show_id: show.show_id, season_number } }]),
    { type: "EpisodeAdded", data: slot },
  ];
}
