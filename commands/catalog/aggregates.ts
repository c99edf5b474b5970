/** The catalog's aggregates: their deciders, stored event types and stream categories. */
import { showDecider } from "../../domain/catalog/show.ts";
import { showEventTypes } from "../../domain/catalog/show-events.ts";
import { videoDecider } from "../../domain/catalog/video.ts";
import { videoEventTypes } from "../../domain/catalog/video-events.ts";

export const videos = { category: "video", decider: videoDecider, eventTypes: videoEventTypes };
export const shows = { category: "show", decider: showDecider, eventTypes: showEventTypes };
