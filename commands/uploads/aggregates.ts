/** The upload aggregate: its decider, stored event types and stream category. */
import { type UploadCommand, uploadDecider, type UploadState } from "../../domain/media/upload.ts";
import {
  UPLOAD_STREAM_CATEGORY,
  type UploadEvent,
  uploadEventTypes,
} from "../../domain/media/upload-events.ts";
import type { Aggregate } from "../handle-command.ts";

export const uploads: Aggregate<UploadCommand, UploadEvent, UploadState> = {
  category: UPLOAD_STREAM_CATEGORY,
  decider: uploadDecider,
  eventTypes: uploadEventTypes,
};
