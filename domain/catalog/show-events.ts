/** Events of a show: its description, its seasons, and which episode holds which slot. */
import * as v from "valibot";
import { defineEventTypes, type EventDefinitions, type EventsOf } from "../shared/event-types.ts";
import {
  EpisodeNumber,
  Id,
  MetadataChanges,
  metadataEntries,
  SeasonNumber,
  Title,
} from "./values.ts";

export const ShowCreatedData = v.object({ show_id: Id, ...metadataEntries });
export type ShowCreatedData = v.InferOutput<typeof ShowCreatedData>;

const showOnly = v.object({ show_id: Id });

const definitions = {
  ShowCreated: { version: 1, schema: ShowCreatedData },
  ShowMetadataUpdated: { version: 1, schema: v.object({ show_id: Id, changes: MetadataChanges }) },
  SeasonAdded: {
    version: 1,
    schema: v.object({ show_id: Id, season_number: SeasonNumber, title: v.optional(Title) }),
  },
  /** The episode (a video of its own stream) takes this season/episode slot of the show. */
  EpisodeAdded: {
    version: 1,
    schema: v.object({
      show_id: Id,
      episode_id: Id,
      season_number: SeasonNumber,
      episode_number: EpisodeNumber,
    }),
  },
  EpisodeRemoved: { version: 1, schema: v.object({ show_id: Id, episode_id: Id }) },
  ShowPublished: { version: 1, schema: showOnly },
  ShowUnpublished: { version: 1, schema: showOnly },
  ShowDeleted: { version: 1, schema: showOnly },
} satisfies EventDefinitions;

export const showEventTypes = defineEventTypes(definitions);
export type ShowEvent = EventsOf<typeof definitions>;
