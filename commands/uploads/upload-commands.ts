/**
 * The upload commands as a resumable-upload protocol adapter (adapters/tus) needs them: a check
 * when an upload starts, so nothing is received for an item that cannot take it, and the shared
 * accept path when its last byte has arrived.
 */
import type { VideoUploadedData } from "../../domain/media/upload-events.ts";
import type { EventMetadata } from "../../domain/ports/event-store.ts";
import { acceptUpload, type UploadDeps, uploadTarget } from "./accept-upload.ts";
import { checkDeclaredType, checkFileName } from "./file-checks.ts";

export interface UploadStart {
  videoId: string;
  fileName?: string;
  /** The media type the client declares, if any. */
  fileType?: string;
}

export interface FinishedUpload {
  uploadId: string;
  videoId: string;
  body: ReadableStream<Uint8Array>;
  size: number;
  metadata: EventMetadata;
}

export interface UploadCommands {
  /** Throws NotFoundError, ValidationError or UnsupportedMediaTypeError to refuse the upload. */
  checkStart(start: UploadStart): Promise<void>;
  /** As acceptUpload: VideoUploaded's data, or UnacceptableMediaError once rejected. */
  finish(upload: FinishedUpload): Promise<VideoUploadedData>;
}

export function uploadCommands(deps: UploadDeps): UploadCommands {
  return {
    async checkStart({ videoId, fileName, fileType }) {
      checkFileName(fileName);
      if (fileType) checkDeclaredType(fileType);
      await uploadTarget(deps.store, videoId);
    },
    finish: ({ uploadId, videoId, body, size, metadata }) =>
      acceptUpload(deps, { uploadId, videoId, body, declaredLength: size, metadata }),
  };
}
