/**
 * The upload decider: an upload's stored bytes are accepted as the source of a catalog item or
 * rejected, once. What a probe found decides which; the item's content type decides what kind of
 * media it may take (an audio track takes audio, everything else needs a video stream).
 */
import type { ContentType } from "../catalog/values.ts";
import type { Decider } from "../shared/decider.ts";
import { ConflictError } from "../shared/errors.ts";
import type {
  MediaKind,
  UploadEvent,
  UploadRejectedData,
  VideoUploadedData,
} from "./upload-events.ts";

export type UploadState =
  | { status: "absent" }
  | { status: "uploaded" | "rejected"; video_id: string };

export type UploadCommand =
  | { type: "RecordUpload"; data: VideoUploadedData; content_type: ContentType }
  | { type: "RejectUpload"; data: UploadRejectedData };

/** The media kind a catalog item of this content type plays. */
export function mediaKindFor(contentType: ContentType): MediaKind {
  return contentType === "audio_track" ? "audio" : "video";
}

export const uploadDecider: Decider<UploadCommand, UploadEvent, UploadState> = {
  initialState: () => ({ status: "absent" }),

  evolve(_state, event) {
    const status = event.type === "VideoUploaded" ? "uploaded" : "rejected";
    return { status, video_id: event.data.video_id };
  },

  decide(command, state) {
    if (state.status !== "absent") {
      throw new ConflictError(`upload ${command.data.upload_id} is already ${state.status}`);
    }
    if (command.type === "RejectUpload") return [{ type: "UploadRejected", data: command.data }];
    const { data, content_type } = command;
    const wanted = mediaKindFor(content_type);
    if (data.media_kind !== wanted) {
      const reason = wanted === "audio"
        ? "an audio track takes an audio file, and this file has a video stream"
        : `this item (${content_type}) needs a video stream, and this file has audio only`;
      const { upload_id, video_id, size_bytes } = data;
      return [{ type: "UploadRejected", data: { upload_id, video_id, reason, size_bytes } }];
    }
    return [{ type: "VideoUploaded", data }];
  },
};
