/**
 * What to make of a source: the HLS ladder (never above the source's height), the progressive
 * file, the poster, or, for audio items, the downloadable audio renditions. Pure: the transcoder
 * adapter turns a plan into an ffmpeg command.
 */

/** One rung of the HLS ladder: an H.264 video-only variant (audio is a separate group). */
export interface Rung {
  /** "720p": also the folder name of the variant. */
  name: string;
  width: number;
  height: number;
  video_kbps: number;
  /** Peak rate the encoder may reach (VBV maxrate); BANDWIDTH is measured on the segments. */
  max_kbps: number;
  /** H.264 profile and level, and the RFC 6381 codec string they give. */
  profile: "main";
  level: string;
  codecs: string;
}

/** The reference ladder, highest first (bitrates as common H.264 VOD ladders use them). */
export const REFERENCE_LADDER: readonly Omit<Rung, "width">[] = [
  {
    name: "1080p",
    height: 1080,
    video_kbps: 5000,
    max_kbps: 5350,
    profile: "main",
    level: "4.0",
    codecs: "avc1.4d4028",
  },
  {
    name: "720p",
    height: 720,
    video_kbps: 2800,
    max_kbps: 2996,
    profile: "main",
    level: "3.1",
    codecs: "avc1.4d401f",
  },
  {
    name: "480p",
    height: 480,
    video_kbps: 1400,
    max_kbps: 1498,
    profile: "main",
    level: "3.0",
    codecs: "avc1.4d401e",
  },
  {
    name: "360p",
    height: 360,
    video_kbps: 800,
    max_kbps: 856,
    profile: "main",
    level: "3.0",
    codecs: "avc1.4d401e",
  },
  {
    name: "240p",
    height: 240,
    video_kbps: 400,
    max_kbps: 428,
    profile: "main",
    level: "3.0",
    codecs: "avc1.4d401e",
  },
];

/** The audio group of a video: AAC-LC stereo. */
export const HLS_AUDIO = { codec: "aac", kbps: 128, channels: 2, codecs: "mp4a.40.2" } as const;

export type AudioFormat = "mp3" | "aac" | "ogg" | "flac";

export interface AudioRendition {
  /** "mp3-192": also the file's base name. */
  name: string;
  format: AudioFormat;
  /** Undefined for lossless FLAC. */
  kbps?: number;
  extension: string;
  content_type: string;
}

const LOSSY_KBPS = [128, 192, 320] as const;
const AUDIO_FORMATS: Record<AudioFormat, { extension: string; content_type: string }> = {
  mp3: { extension: "mp3", content_type: "audio/mpeg" },
  aac: { extension: "m4a", content_type: "audio/mp4" },
  ogg: { extension: "ogg", content_type: "audio/ogg" },
  flac: { extension: "flac", content_type: "audio/flac" },
};

/** What the probe said about the source, as far as planning needs it. */
export interface SourceFacts {
  media_kind: "video" | "audio";
  duration_sec: number;
  width?: number;
  height?: number;
  has_audio: boolean;
}

export interface VideoPlan {
  kind: "video";
  ladder: Rung[];
  /** Absent when the source has no sound. */
  audio?: typeof HLS_AUDIO;
  segment_sec: number;
  /** The rung the progressive MP4 is encoded like (the highest). */
  progressive: Rung;
  /** Where in the source the poster frame is taken. */
  poster_at_sec: number;
}

export interface AudioPlan {
  kind: "audio";
  renditions: AudioRendition[];
}

export type TranscodePlan = VideoPlan | AudioPlan;

/** Segment length bounds (seconds): 4-6 s keeps start-up quick and playlists short. */
export const SEGMENT_SEC = { min: 4, max: 6, default: 6 } as const;

export class UnplannableSourceError extends Error {
  override readonly name = "UnplannableSourceError";
}

/** Rungs at or below the source height; a source smaller than the lowest rung gets one rung its own size. */
export function selectLadder(width: number, height: number): Rung[] {
  const fits = REFERENCE_LADDER.filter((rung) => rung.height <= height);
  const chosen = fits.length > 0
    ? fits
    : [{ ...REFERENCE_LADDER.at(-1)!, name: `${even(height)}p`, height: even(height) }];
  return chosen.map((rung) => ({ ...rung, width: scaledWidth(width, height, rung.height) }));
}

/** The width that keeps the source's aspect ratio at `height`, rounded to an even number (H.264 4:2:0). */
export function scaledWidth(width: number, height: number, toHeight: number): number {
  return Math.max(2, even(width * toHeight / height));
}

function even(n: number): number {
  return Math.max(2, Math.round(n / 2) * 2);
}

/** A segment length within 4-6 s (the configured one clamped). */
export function segmentSeconds(configured: number = SEGMENT_SEC.default): number {
  return Math.min(SEGMENT_SEC.max, Math.max(SEGMENT_SEC.min, Math.round(configured)));
}

/** MP3, AAC and OGG at 128/192/320 kbps, and FLAC. */
export function audioRenditions(): AudioRendition[] {
  const lossy = (["mp3", "aac", "ogg"] as const).flatMap((format) =>
    LOSSY_KBPS.map((kbps) => ({
      name: `${format}-${kbps}`,
      format,
      kbps,
      ...AUDIO_FORMATS[format],
    }))
  );
  return [...lossy, { name: "flac", format: "flac", ...AUDIO_FORMATS.flac }];
}

export function planTranscode(
  source: SourceFacts,
  options: { segmentSec?: number } = {},
): TranscodePlan {
  if (source.media_kind === "audio") {
    if (!source.has_audio) throw new UnplannableSourceError("the audio item has no audio stream");
    return { kind: "audio", renditions: audioRenditions() };
  }
  if (!source.width || !source.height) {
    throw new UnplannableSourceError("the video has no video stream with a known size");
  }
  const ladder = selectLadder(source.width, source.height);
  return {
    kind: "video",
    ladder,
    audio: source.has_audio ? HLS_AUDIO : undefined,
    segment_sec: segmentSeconds(options.segmentSec),
    progressive: ladder[0]!,
    // 10 % in skips black openings and titles; a one-second clip still gets a frame.
    poster_at_sec: Math.min(source.duration_sec * 0.1, Math.max(0, source.duration_sec - 0.1)),
  };
}
