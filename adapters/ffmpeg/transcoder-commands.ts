/**
 * The ffmpeg commands a transcode plan becomes: one run that decodes the source once and writes
 * every output (HLS variants, the audio group, the progressive MP4, or the audio renditions), and a
 * second tiny run for the poster. Pure: the transcoder runs them, the benchmark runs them bare.
 */
import type {
  AudioRendition,
  Rung,
  TranscodePlan,
  VideoPlan,
} from "../../domain/transcoding/ladder.ts";

export interface FfmpegOutput {
  path: string;
  options: string[];
}

export interface FfmpegCommandSpec {
  input: string;
  inputOptions: string[];
  complexFilter?: string;
  outputs: FfmpegOutput[];
}

/** The arguments of a spec as the ffmpeg command line gets them (after the binary). */
export function commandArguments(spec: FfmpegCommandSpec): string[] {
  return [
    "-y",
    ...spec.inputOptions,
    "-i",
    spec.input,
    ...(spec.complexFilter ? ["-filter_complex", spec.complexFilter] : []),
    ...spec.outputs.flatMap((output) => [...output.options, output.path]),
  ];
}

/** Files of the outputs relative to the work folder, and the folders they need. */
export const LAYOUT = {
  master: "hls/master.m3u8",
  variantPlaylist: (name: string) => `hls/${name}/index.m3u8`,
  audioPlaylist: "hls/audio/index.m3u8",
  progressive: "progressive.mp4",
  poster: "poster.jpg",
  audioRendition: (r: AudioRendition) => `audio/${r.name}.${r.extension}`,
} as const;

export function mainCommand(
  plan: TranscodePlan,
  source: string,
  workDir: string,
): FfmpegCommandSpec {
  return plan.kind === "video" ? videoCommand(plan, source, workDir) : {
    input: source,
    inputOptions: [],
    outputs: plan.renditions.map((r) => ({
      path: `${workDir}/${LAYOUT.audioRendition(r)}`,
      options: ["-map", "0:a:0", "-vn", "-map_metadata", "-1", ...audioCodec(r)],
    })),
  };
}

export function posterCommand(plan: VideoPlan, source: string, workDir: string): FfmpegCommandSpec {
  const { width, height } = plan.progressive;
  return {
    input: source,
    inputOptions: ["-ss", plan.poster_at_sec.toFixed(3)],
    outputs: [{
      path: `${workDir}/${LAYOUT.poster}`,
      options: ["-map", "0:v:0", "-frames:v", "1", "-vf", `scale=${width}:${height}`, "-q:v", "3"],
    }],
  };
}

function videoCommand(plan: VideoPlan, source: string, workDir: string): FfmpegCommandSpec {
  const rungs = [...plan.ladder, plan.progressive];
  const labels = rungs.map((_, i) => `s${i}`);
  const filter = [
    `[0:v:0]split=${rungs.length}${labels.map((l) => `[${l}]`).join("")}`,
    ...rungs.map((r, i) => `[s${i}]scale=${r.width}:${r.height},setsar=1,format=yuv420p[v${i}]`),
  ].join(";");
  const hls = (name: string) => [
    "-f",
    "hls",
    "-hls_time",
    String(plan.segment_sec),
    "-hls_playlist_type",
    "vod",
    "-hls_flags",
    "independent_segments",
    "-hls_segment_filename",
    `${workDir}/hls/${name}/seg-%05d.ts`,
  ];
  const outputs: FfmpegOutput[] = plan.ladder.map((rung, i) => ({
    path: `${workDir}/${LAYOUT.variantPlaylist(rung.name)}`,
    options: ["-map", `[v${i}]`, "-an", ...h264(rung, plan.segment_sec), ...hls(rung.name)],
  }));
  if (plan.audio) {
    outputs.push({
      path: `${workDir}/${LAYOUT.audioPlaylist}`,
      options: ["-map", "0:a:0", "-vn", ...aac(plan.audio.kbps), ...hls("audio")],
    });
  }
  outputs.push({
    path: `${workDir}/${LAYOUT.progressive}`,
    options: [
      "-map",
      `[v${plan.ladder.length}]`,
      ...(plan.audio ? ["-map", "0:a:0", ...aac(plan.audio.kbps)] : ["-an"]),
      ...h264(plan.progressive, plan.segment_sec),
      "-movflags",
      "+faststart",
    ],
  });
  return { input: source, inputOptions: [], complexFilter: filter, outputs };
}

/** H.264 at the rung's rate, a key frame at every segment boundary so segments start clean. */
function h264(rung: Rung, segmentSec: number): string[] {
  return [
    "-c:v",
    "libx264",
    "-preset",
    "veryfast",
    "-profile:v",
    rung.profile,
    "-level:v",
    rung.level,
    "-b:v",
    `${rung.video_kbps}k`,
    "-maxrate",
    `${rung.max_kbps}k`,
    "-bufsize",
    `${rung.video_kbps * 2}k`,
    "-force_key_frames",
    `expr:gte(t,n_forced*${segmentSec})`,
    "-sc_threshold",
    "0",
  ];
}

function aac(kbps: number): string[] {
  return ["-c:a", "aac", "-b:a", `${kbps}k`, "-ac", "2", "-ar", "48000"];
}

function audioCodec(r: AudioRendition): string[] {
  const rate = r.kbps ? ["-b:a", `${r.kbps}k`] : [];
  switch (r.format) {
    case "mp3":
      return ["-c:a", "libmp3lame", ...rate, "-ac", "2"];
    case "aac":
      return [...aac(r.kbps!), "-movflags", "+faststart"];
    case "ogg":
      return ["-c:a", "libvorbis", ...rate, "-ac", "2"];
    case "flac":
      return ["-c:a", "flac"];
  }
}
