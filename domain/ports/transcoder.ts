/**
 * The transcoder port: turns a stored source into the renditions a plan asks for and stores them
 * under a key prefix of the blob storage. What it answers goes into the TranscodeCompleted event,
 * so its fields are snake_case (docs/decisions/0002).
 */
import type { TranscodePlan } from "../transcoding/ladder.ts";

export interface TranscodeJob {
  /** Blob key of the source file. */
  source_key: string;
  /** Where the outputs go, ending in "/": `renditions/<upload_id>/`. */
  output_prefix: string;
  plan: TranscodePlan;
}

export interface TranscodeCallbacks {
  /** Percent of the source done, 0-100, as the encoder reports it. */
  onProgress?: (percent: number) => void;
  /** Stops the encoder; the job then fails with the signal's reason. */
  signal?: AbortSignal;
}

export interface StoredVariant {
  name: string;
  playlist_key: string;
  width: number;
  height: number;
  bandwidth: number;
  codecs: string;
  segments: number;
}

export interface StoredAudio {
  name: string;
  key: string;
  content_type: string;
  kbps?: number;
}

export interface TranscodeResult {
  /** HLS (videos only). */
  master_playlist_key?: string;
  variants: StoredVariant[];
  audio_playlist_key?: string;
  progressive_key?: string;
  poster_key?: string;
  /** Downloadable audio renditions (audio items only). */
  audio_renditions: StoredAudio[];
}

export interface Transcoder {
  transcode(job: TranscodeJob, callbacks?: TranscodeCallbacks): Promise<TranscodeResult>;
}

/** The source could not be transcoded (corrupt, unsupported); the message is the reason recorded. */
export class TranscodeFailedError extends Error {
  override readonly name = "TranscodeFailedError";
}
