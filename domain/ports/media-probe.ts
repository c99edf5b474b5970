/**
 * The media probe port: reads a stored source file and says what media it holds, or why it is not
 * media we accept (not media at all, an unsupported container, truncated, empty). An ffprobe
 * adapter implements it (adapters/ffmpeg/probe.ts).
 */
import type { MediaKind, MediaStream } from "../media/upload-events.ts";

/** What a probe found in an acceptable file; copied into VideoUploaded. */
export interface ProbedMedia {
  /** "video" when there is a video stream (cover art does not count), else "audio". */
  media_kind: MediaKind;
  mime_type: string;
  duration_sec: number;
  format_name: string;
  /** The audio and video streams; cover art, subtitles and data streams are left out. */
  streams: MediaStream[];
}

export type ProbeOutcome =
  | { accepted: true; media: ProbedMedia }
  | { accepted: false; reason: string };

export interface MediaProbe {
  /** Probes the blob stored under `key`. Rejection is an outcome; only an outage throws. */
  probe(key: string): Promise<ProbeOutcome>;
}
