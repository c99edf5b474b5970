/** Catalog commands on videos: any playable item (movie, short, documentary, episode, audio track). */
import type { Hono } from "hono";
import type { VideoCommand, VideoState } from "../../domain/catalog/video.ts";
import type { VideoEvent } from "../../domain/catalog/video-events.ts";
import type { CommandDeps } from "../http-context.ts";
import { videos } from "./aggregates.ts";
import { type CatalogEntry, catalogEntryRoutes } from "./entry-routes.ts";
import { deleteVideo } from "./episodes.ts";
import { videoResource } from "./representations.ts";
import { CreateVideoBody, VideoResponse } from "./schemas.ts";

const videoEntry: CatalogEntry<VideoCommand, VideoEvent, VideoState, typeof CreateVideoBody> = {
  noun: "video",
  aggregate: videos,
  resource: videoResource,
  responseSchema: VideoResponse,
  createSchema: CreateVideoBody,
  summaries: {
    create: "Create a movie, short, documentary or audio track",
    delete: "Delete a video (an episode also leaves its show)",
  },
  create: (video_id, fields) => ({ type: "CreateVideo", data: { video_id, ...fields } }),
  update: (video_id, changes) => ({ type: "UpdateVideoMetadata", data: { video_id, changes } }),
  publish: (video_id) => ({ type: "PublishVideo", data: { video_id } }),
  unpublish: (video_id) => ({ type: "UnpublishVideo", data: { video_id } }),
  delete: deleteVideo,
};

export function videoCommandRoutes(deps: CommandDeps): Hono {
  return catalogEntryRoutes(deps, videoEntry);
}
