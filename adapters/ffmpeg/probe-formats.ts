/**
 * The containers uploads may use, by ffprobe demuxer name, with the media type each is served as.
 * ffprobe is told to open only these (-format_whitelist), so images, playlists that point at other
 * files, and text a demuxer happens to accept are refused before any further reading.
 */
import type { MediaKind } from "../../domain/media/upload-events.ts";

interface ContainerFormat {
  video?: string;
  audio: string;
}

const CONTAINERS: Record<string, ContainerFormat> = {
  "mov,mp4,m4a,3gp,3g2,mj2": { video: "video/mp4", audio: "audio/mp4" },
  "matroska,webm": { video: "video/x-matroska", audio: "audio/x-matroska" },
  mpegts: { video: "video/mp2t", audio: "audio/mp2t" },
  mpeg: { video: "video/mpeg", audio: "audio/mpeg" },
  avi: { video: "video/x-msvideo", audio: "video/x-msvideo" },
  flv: { video: "video/x-flv", audio: "video/x-flv" },
  ogg: { video: "video/ogg", audio: "audio/ogg" },
  mp3: { audio: "audio/mpeg" },
  flac: { audio: "audio/flac" },
  wav: { audio: "audio/wav" },
  aac: { audio: "audio/aac" },
};

/** WebM is the Matroska subset with these codecs only. */
const WEBM_CODECS = new Set(["vp8", "vp9", "av1", "opus", "vorbis"]);

/** The value for ffprobe's -format_whitelist. */
export const FORMAT_WHITELIST = Object.keys(CONTAINERS).join(",");

/** The media type of a probed file, or undefined when its container is not accepted. */
export function mimeTypeOf(
  formatName: string,
  kind: MediaKind,
  codecs: readonly string[],
): string | undefined {
  const container = CONTAINERS[formatName];
  if (!container) return undefined;
  if (formatName === "matroska,webm" && codecs.every((codec) => WEBM_CODECS.has(codec))) {
    return kind === "video" ? "video/webm" : "audio/webm";
  }
  return kind === "video" ? container.video : container.audio;
}
