/** The value objects of the catalog, as valibot schemas shared by commands, events and the API. */
import * as v from "valibot";

/** Playable items. A show is not one: its episodes are. */
export const CONTENT_TYPES = ["movie", "short", "documentary", "episode", "audio_track"] as const;
export const ContentType = v.picklist(CONTENT_TYPES);
export type ContentType = v.InferOutput<typeof ContentType>;

export const Id = v.pipe(v.string(), v.uuid("must be a UUID"));
const trimmed = (max: number, what: string) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.nonEmpty(`${what} must not be empty`),
    v.maxLength(max, `${what} is at most ${max} characters`),
  );

export const Title = trimmed(300, "title");
export const Description = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(10_000, "description is at most 10000 characters"),
);
export const Genre = trimmed(60, "genre");
/** An age or content rating as the distributor gives it: "PG-13", "TV-MA", "16+". */
export const Rating = trimmed(20, "rating");
const wholeNumber = (name: string, min: number, max: number) =>
  v.pipe(
    v.number(),
    v.integer(`${name} must be a whole number`),
    v.minValue(min, `${name} is ${min} or more`),
    v.maxValue(max, `${name} is ${max} or less`),
  );

export const ReleaseYear = wholeNumber("release_year", 1870, 2100);
export const DurationSec = v.pipe(
  v.number(),
  v.minValue(0, "duration_sec must not be negative"),
  v.maxValue(7 * 24 * 3600, "duration_sec is at most a week"),
);
export const Tags = v.pipe(
  v.array(trimmed(60, "a tag")),
  v.maxLength(50, "at most 50 tags"),
  v.transform((tags) => [...new Set(tags)]),
);
/** Season 0 holds the specials. */
export const SeasonNumber = wholeNumber("season_number", 0, 1000);
export const EpisodeNumber = wholeNumber("episode_number", 1, 100_000);

/** Descriptive fields every catalog entry has, all optional but the title. */
export const metadataEntries = {
  title: Title,
  description: v.optional(Description),
  genre: v.optional(Genre),
  release_year: v.optional(ReleaseYear),
  rating: v.optional(Rating),
  tags: v.optional(Tags),
};

/** The same fields for an update: any subset, none required, at least one present. */
export const MetadataChanges = v.pipe(
  v.strictObject({
    title: v.optional(Title),
    description: v.optional(Description),
    genre: v.optional(v.nullable(Genre)),
    release_year: v.optional(v.nullable(ReleaseYear)),
    rating: v.optional(v.nullable(Rating)),
    tags: v.optional(Tags),
    duration_sec: v.optional(v.nullable(DurationSec)),
  }),
  v.check((changes) => Object.keys(changes).length > 0, "name at least one field to change"),
);
export type MetadataChanges = v.InferOutput<typeof MetadataChanges>;
