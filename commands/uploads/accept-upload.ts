/**
 * The one path every upload ends on, simple or resumable: store the bytes (size and SHA-256
 * measured as they stream), probe them, and record VideoUploaded, or UploadRejected with the
 * reason after removing the bytes.
 */
import type { ContentType } from "../../domain/catalog/values.ts";
import { UnacceptableMediaError } from "../../domain/media/upload-errors.ts";
import type { VideoUploadedData } from "../../domain/media/upload-events.ts";
import type { BlobStorage, PutResult } from "../../domain/ports/blob-storage.ts";
import type { EventMetadata, EventStore } from "../../domain/ports/event-store.ts";
import type { MediaProbe, ProbeOutcome } from "../../domain/ports/media-probe.ts";
import { ConflictError, NotFoundError } from "../../domain/shared/errors.ts";
import { videos } from "../catalog/aggregates.ts";
import { handleCommand, loadAggregate } from "../handle-command.ts";
import { uploads } from "./aggregates.ts";

export interface UploadDeps {
  store: EventStore;
  storage: BlobStorage;
  probe: MediaProbe;
  retries: number;
}

export interface IncomingUpload {
  uploadId: string;
  videoId: string;
  body: ReadableStream<Uint8Array>;
  /** The length the client announced; a body of another length is refused and not kept. */
  declaredLength?: number;
  metadata: EventMetadata;
}

/** Where an upload's source bytes are stored: never derived from a client's file name. */
export function sourceKey(videoId: string, uploadId: string): string {
  return `uploads/${videoId}/${uploadId}/source`;
}

/** The content type of the item an upload is for; NotFoundError for an unknown or deleted one. */
export async function uploadTarget(store: EventStore, videoId: string): Promise<ContentType> {
  const { state } = await loadAggregate(store, videos, videoId);
  if (state.status === "absent" || state.status === "deleted") {
    throw new NotFoundError(`video ${videoId} does not exist`);
  }
  return state.video.content_type;
}

/**
 * Stores, probes and records an upload. Resolves with VideoUploaded's data; throws
 * UnacceptableMediaError once UploadRejected is recorded, and the body's own error (too large,
 * cut short) when nothing was stored.
 */
export async function acceptUpload(
  deps: UploadDeps,
  upload: IncomingUpload,
): Promise<VideoUploadedData> {
  const { uploadId: upload_id, videoId: video_id } = upload;
  const content_type = await uploadTarget(deps.store, video_id);
  // A repeat must not overwrite, then remove, the bytes an earlier decision kept.
  const { state } = await loadAggregate(deps.store, uploads, upload_id);
  if (state.status !== "absent") {
    throw new ConflictError(`upload ${upload_id} is already ${state.status}`);
  }
  const key = sourceKey(video_id, upload_id);
  const stored = await deps.storage.put(key, upload.body, {
    contentType: "application/octet-stream",
    contentLength: upload.declaredLength,
  });
  const options = { metadata: upload.metadata, retries: deps.retries };
  try {
    const outcome = await probe(deps.probe, stored);
    const { events } = await handleCommand(
      deps.store,
      uploads,
      upload_id,
      outcome.accepted
        ? {
          type: "RecordUpload",
          content_type,
          data: {
            upload_id,
            video_id,
            key,
            size_bytes: stored.size,
            checksum_sha256: stored.checksum_sha256,
            ...outcome.media,
            uploaded_at: new Date().toISOString(),
          },
        }
        : {
          type: "RejectUpload",
          data: { upload_id, video_id, reason: outcome.reason, size_bytes: stored.size },
        },
      options,
    );
    const [event] = events;
    if (event?.type === "VideoUploaded") return event.data;
    throw new UnacceptableMediaError(upload_id, event?.data.reason ?? "the upload was refused");
  } catch (error) {
    // Rejected, or not recorded at all: either way the bytes must not stay.
    await deps.storage.delete(key);
    throw error;
  }
}

function probe(probe: MediaProbe, stored: PutResult): Promise<ProbeOutcome> {
  if (stored.size === 0) return Promise.resolve({ accepted: false, reason: "the file is empty" });
  return probe.probe(stored.key);
}
