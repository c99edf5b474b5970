/** Events of a video: any playable catalog item (movie, short, documentary, episode, audio track). */
import * as v from "valibot";
import { defineEventTypes, type EventDefinitions, type EventsOf } from "../shared/event-types.ts";
import {
  ContentType,
  DurationSec,
  EpisodeNumber,
  Id,
  MetadataChanges,
  metadataEntries,
  SeasonNumber,
} from "./values.ts";
import { GeoRestriction } from "./geo.ts";

export const VideoCreatedData = v.object({
  video_id: Id,
  content_type: ContentType,
  ...metadataEntries,
  duration_sec: v.optional(DurationSec),
  /** Set for episodes only. */
  show_id: v.optional(Id),
  season_number: v.optional(SeasonNumber),
  episode_number: v.optional(EpisodeNumber),
});
export type VideoCreatedData = v.InferOutput<typeof VideoCreatedData>;

const videoOnly = v.object({ video_id: Id });

const definitions = {
  VideoCreated: { version: 1, schema: VideoCreatedData },
  VideoMetadataUpdated: {
    version: 1,
    schema: v.object({ video_id: Id, changes: MetadataChanges }),
  },
  VideoPublished: { version: 1, schema: videoOnly },
  VideoUnpublished: { version: 1, schema: videoOnly },
  VideoDeleted: { version: 1, schema: videoOnly },
  /** Where the video may be played; null lifts the restriction. */
  VideoGeoRestricted: {
    version: 1,
    schema: v.object({ video_id: Id, geo_restriction: v.nullable(GeoRestriction) }),
  },
} satisfies EventDefinitions;

export const videoEventTypes = defineEventTypes(definitions);
export type VideoEvent = EventsOf<typeof definitions>;
