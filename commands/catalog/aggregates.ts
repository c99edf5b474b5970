/** The catalog's aggregates: their deciders, stored event types and stream categories. */
import { type ShowCommand, showDecider, type ShowState } from "../../domain/catalog/show.ts";
import { type ShowEvent, showEventTypes } from "../../domain/catalog/show-events.ts";
import { type VideoCommand, videoDecider, type VideoState } from "../../domain/catalog/video.ts";
import { type VideoEvent, videoEventTypes } from "../../domain/catalog/video-events.ts";
import type { Aggregate } from "../handle-command.ts";

export const videos: Aggregate<VideoCommand, VideoEvent, VideoState> = {
  category: "video",
  decider: videoDecider,
  eventTypes: videoEventTypes,
};

export const shows: Aggregate<ShowCommand, ShowEvent, ShowState> = {
  category: "show",
  decider: showDecider,
  eventTypes: showEventTypes,
};
