/**
 * Events of an upload: the bytes of a catalog item's source file, stored and checked by a media
 * probe. Stream category "upload", one stream per upload: `upload-<upload_id>`. An upload ends in
 * exactly one of these events.
 */
import * as v from "valibot";
import { defineEventTypes, type EventDefinitions, type EventsOf } from "../shared/event-types.ts";
import { Id } from "../catalog/values.ts";

export const UPLOAD_STREAM_CATEGORY = "upload";

export const uploadStream = (uploadId: string): string => `${UPLOAD_STREAM_CATEGORY}-${uploadId}`;

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const positive = v.pipe(v.number(), v.integer(), v.minValue(1));

/** One stream of the source as the probe saw it; other stream kinds (subtitles, data) are left out. */
export const MediaStream = v.object({
  index: count,
  codec_type: v.picklist(["video", "audio"]),
  codec_name: v.string(),
  width: v.optional(positive),
  height: v.optional(positive),
  bit_rate: v.optional(count),
  channels: v.optional(positive),
  sample_rate: v.optional(positive),
});
export type MediaStream = v.InferOutput<typeof MediaStream>;

export const MediaKind = v.picklist(["video", "audio"]);
export type MediaKind = v.InferOutput<typeof MediaKind>;

export const VideoUploadedData = v.object({
  upload_id: Id,
  video_id: Id,
  /** Blob storage key of the source file. */
  key: v.string(),
  size_bytes: positive,
  /** SHA-256 of the stored bytes, lowercase hex. */
  checksum_sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  mime_type: v.string(),
  media_kind: MediaKind,
  duration_sec: v.pipe(v.number(), v.minValue(0)),
  /** The container as ffprobe names it, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  format_name: v.string(),
  streams: v.array(MediaStream),
  /** ISO 8601. */
  uploaded_at: v.string(),
});
export type VideoUploadedData = v.InferOutput<typeof VideoUploadedData>;

export const UploadRejectedData = v.object({
  upload_id: Id,
  video_id: Id,
  /** Why the bytes were refused, for people (the 422's detail). */
  reason: v.string(),
  size_bytes: v.optional(count),
});
export type UploadRejectedData = v.InferOutput<typeof UploadRejectedData>;

const definitions = {
  VideoUploaded: { version: 1, schema: VideoUploadedData },
  UploadRejected: { version: 1, schema: UploadRejectedData },
} satisfies EventDefinitions;

export const uploadEventTypes = defineEventTypes(definitions);
export type UploadEvent = EventsOf<typeof definitions>;
