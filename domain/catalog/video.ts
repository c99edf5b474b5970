/** The video decider: create, describe, publish, unpublish and delete one playable catalog item. */
import type { Decider } from "../shared/decider.ts";
import { ConflictError, NotFoundError } from "../shared/errors.ts";
import type { VideoCreatedData, VideoEvent } from "./video-events.ts";
import { applyChanges, effectiveChanges } from "./metadata.ts";
import type { MetadataChanges } from "./values.ts";
import type { GeoRestriction } from "./geo.ts";

export type VideoStatus = "published" | "unpublished";

/** A video as its own events describe it. `null` fields were cleared or never set. */
export type VideoDetails = VideoCreatedData & {
  status: VideoStatus;
  geo_restriction?: GeoRestriction | null;
};

export type VideoState =
  | { status: "absent" }
  | { status: "deleted"; video: VideoDetails }
  | { status: VideoStatus; video: VideoDetails };

export type VideoCommand =
  | { type: "CreateVideo"; data: VideoCreatedData }
  | { type: "UpdateVideoMetadata"; data: { video_id: string; changes: MetadataChanges } }
  | { type: "PublishVideo"; data: { video_id: string } }
  | { type: "UnpublishVideo"; data: { video_id: string } }
  | { type: "DeleteVideo"; data: { video_id: string } }
  | {
    type: "RestrictVideoGeo";
    data: { video_id: string; geo_restriction: GeoRestriction | null };
  };

export const videoDecider: Decider<VideoCommand, VideoEvent, VideoState> = {
  initialState: () => ({ status: "absent" }),

  evolve(state, event) {
    switch (event.type) {
      case "VideoCreated":
        return { status: "published", video: { ...event.data, status: "published" } };
      case "VideoMetadataUpdated":
        return state.status === "absent" ? state : {
          ...state,
          video: applyChanges(state.video, event.data.changes),
        };
      case "VideoPublished":
      case "VideoUnpublished": {
        if (state.status === "absent" || state.status === "deleted") return state;
        const status = event.type === "VideoPublished" ? "published" : "unpublished";
        return { status, video: { ...state.video, status } };
      }
      case "VideoDeleted":
        return state.status === "absent" ? state : { status: "deleted", video: state.video };
      case "VideoGeoRestricted":
        return state.status === "absent" ? state : {
          ...state,
          video: { ...state.video, geo_restriction: event.data.geo_restriction },
        };
    }
  },

  decide(command, state) {
    const { video_id } = command.data;
    if (command.type === "CreateVideo") {
      if (state.status !== "absent") throw new ConflictError(`video ${video_id} already exists`);
      return [{ type: "VideoCreated", data: command.data }];
    }
    if (state.status === "absent" || state.status === "deleted") {
      throw new NotFoundError(`video ${video_id} does not exist`);
    }
    switch (command.type) {
      case "UpdateVideoMetadata": {
        const changes = effectiveChanges(state.video, command.data.changes);
        return changes ? [{ type: "VideoMetadataUpdated", data: { video_id, changes } }] : [];
      }
      case "PublishVideo":
        return state.status === "published" ? [] : [{ type: "VideoPublished", data: { video_id } }];
      case "UnpublishVideo":
        return state.status === "unpublished"
          ? []
          : [{ type: "VideoUnpublished", data: { video_id } }];
      case "DeleteVideo":
        return [{ type: "VideoDeleted", data: { video_id } }];
      case "RestrictVideoGeo": {
        const { geo_restriction } = command.data;
        const unchanged =
          JSON.stringify(state.video.geo_restriction ?? null) === JSON.stringify(geo_restriction);
        return unchanged
          ? []
          : [{ type: "VideoGeoRestricted", data: { video_id, geo_restriction } }];
      }
    }
  },
};
