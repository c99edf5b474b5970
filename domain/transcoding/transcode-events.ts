/**
 * Events of a transcode: one stream per upload, `transcode-<upload_id>`. A request (on upload or a
 * re-transcode), then attempts: each starts with a lease that progress renews; it ends completed
 * or failed. An attempt whose lease ran out (its worker died) may be taken over by a new attempt.
 */
import * as v from "valibot";
import { Id } from "../catalog/values.ts";
import { MediaKind } from "../media/upload-events.ts";
import { defineEventTypes, type EventDefinitions, type EventsOf } from "../shared/event-types.ts";

export const TRANSCODE_STREAM_CATEGORY = "transcode";

const positive = v.pipe(v.number(), v.integer(), v.minValue(1));
const time = v.pipe(v.string(), v.isoTimestamp());

/** What planning needs to know of the source (from VideoUploaded). */
export const SourceFacts = v.object({
  media_kind: MediaKind,
  duration_sec: v.pipe(v.number(), v.minValue(0)),
  width: v.optional(positive),
  height: v.optional(positive),
  has_audio: v.boolean(),
});

export const TranscodeRequestedData = v.object({
  upload_id: Id,
  video_id: Id,
  source_key: v.string(),
  source: SourceFacts,
  reason: v.picklist(["upload", "retranscode"]),
  requested_at: time,
});
export type TranscodeRequestedData = v.InferOutput<typeof TranscodeRequestedData>;

const attempt = { upload_id: Id, attempt: positive };

const StoredVariant = v.object({
  name: v.string(),
  playlist_key: v.string(),
  width: positive,
  height: positive,
  bandwidth: positive,
  codecs: v.string(),
  segments: positive,
});

const StoredAudio = v.object({
  name: v.string(),
  key: v.string(),
  content_type: v.string(),
  kbps: v.optional(positive),
});

export const TranscodeOutputs = v.object({
  /** The prefix every output is under, ending in "/" (what a signed URL grants). */
  output_prefix: v.string(),
  master_playlist_key: v.optional(v.string()),
  variants: v.array(StoredVariant),
  audio_playlist_key: v.optional(v.string()),
  progressive_key: v.optional(v.string()),
  poster_key: v.optional(v.string()),
  audio_renditions: v.array(StoredAudio),
});
export type TranscodeOutputs = v.InferOutput<typeof TranscodeOutputs>;

const definitions = {
  TranscodeRequested: { version: 1, schema: TranscodeRequestedData },
  TranscodeStarted: {
    version: 1,
    schema: v.object({ ...attempt, worker: v.string(), lease_until: time, started_at: time }),
  },
  TranscodeProgressed: {
    version: 1,
    schema: v.object({
      ...attempt,
      percent: v.pipe(v.number(), v.minValue(0), v.maxValue(100)),
      lease_until: time,
    }),
  },
  TranscodeCompleted: {
    version: 1,
    schema: v.object({ ...attempt, video_id: Id, outputs: TranscodeOutputs, completed_at: time }),
  },
  TranscodeFailed: {
    version: 1,
    schema: v.object({ ...attempt, reason: v.string(), failed_at: time }),
  },
} satisfies EventDefinitions;

export const transcodeEventTypes = defineEventTypes(definitions);
export type TranscodeEvent = EventsOf<typeof definitions>;
