/** The transcode aggregate as the command handler stores it: `transcode-<upload_id>`. */
import type { Aggregate } from "../handle-command.ts";
import {
  type TranscodeCommand,
  transcodeDecider,
  type TranscodeState,
} from "../../domain/transcoding/transcode.ts";
import {
  TRANSCODE_STREAM_CATEGORY,
  type TranscodeEvent,
  transcodeEventTypes,
} from "../../domain/transcoding/transcode-events.ts";

export const transcodeAggregate: Aggregate<TranscodeCommand, TranscodeEvent, TranscodeState> = {
  category: TRANSCODE_STREAM_CATEGORY,
  decider: transcodeDecider,
  eventTypes: transcodeEventTypes,
};

/** Metadata of the events the reactor appends. */
export const REACTOR_METADATA = { actor: "system:transcoder" } as const;
