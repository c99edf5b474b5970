/** Request and response bodies of the catalog endpoints (snake_case, as the seeds). */
import * as v from "valibot";
import {
  ContentType,
  DurationSec,
  EpisodeNumber,
  Id,
  metadataEntries,
  SeasonNumber,
  Title,
} from "../../domain/catalog/values.ts";

export const IdParam = v.object({ id: Id });

export const CreateVideoBody = v.strictObject({
  /** Optional client-chosen id: repeating a create with the same id answers 409 instead of duplicating. */
  id: v.optional(Id),
  content_type: v.pipe(
    ContentType,
    v.check((type) => type !== "episode", "create episodes with POST /v1/shows/{id}/episodes"),
  ),
  ...metadataEntries,
  duration_sec: v.optional(DurationSec),
});

export const CreateShowBody = v.strictObject({ id: v.optional(Id), ...metadataEntries });

export const AddSeasonBody = v.strictObject({
  season_number: SeasonNumber,
  title: v.optional(Title),
});

export const AddEpisodeBody = v.strictObject({
  id: v.optional(Id),
  season_number: SeasonNumber,
  episode_number: EpisodeNumber,
  ...metadataEntries,
  duration_sec: v.optional(DurationSec),
});

const metadataOut = {
  title: v.string(),
  description: v.optional(v.string()),
  genre: v.optional(v.string()),
  release_year: v.optional(v.number()),
  rating: v.optional(v.string()),
  tags: v.optional(v.array(v.string())),
  status: v.picklist(["published", "unpublished"]),
  version: v.number(),
};

export const VideoResponse = v.object({
  id: v.string(),
  content_type: ContentType,
  ...metadataOut,
  duration_sec: v.optional(v.number()),
  show_id: v.optional(v.string()),
  season_number: v.optional(v.number()),
  episode_number: v.optional(v.number()),
});

export const ShowResponse = v.object({
  id: v.string(),
  ...metadataOut,
  seasons: v.array(v.object({
    season_number: v.number(),
    title: v.optional(v.string()),
    episodes: v.array(v.object({ id: v.string(), episode_number: v.number() })),
  })),
});

export const Problem = v.object({
  type: v.string(),
  title: v.string(),
  status: v.number(),
  detail: v.optional(v.string()),
  errors: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
  instance: v.string(),
  request_id: v.string(),
});
