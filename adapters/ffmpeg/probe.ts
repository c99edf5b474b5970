/**
 * The media probe on ffprobe: runs `ffprobe -print_format json` on a stored file (a local path or
 * a presigned URL), demuxing it to the end (-count_packets) so a file cut short is caught, and
 * classifies what it finds.
 */
import { spawn } from "node:child_process";
import * as v from "valibot";
import type { MediaKind, MediaStream } from "../../domain/media/upload-events.ts";
import type { MediaProbe, ProbeOutcome } from "../../domain/ports/media-probe.ts";
import { ffprobePath } from "./binary.ts";
import { FORMAT_WHITELIST, mimeTypeOf } from "./probe-formats.ts";

export interface ProbeOptions {
  /** FFPROBE_PATH when configured; else found on PATH. */
  ffprobePath?: string;
  /** A probe running longer is stopped and the file refused (default 120 s). */
  timeoutMs?: number;
}

export interface FfprobeMediaProbeOptions extends ProbeOptions {
  /** Where ffprobe can read the blob of a key: a local file path or an http(s) URL. */
  locate: (key: string) => Promise<string>;
}

export class FfprobeMediaProbe implements MediaProbe {
  constructor(private readonly options: FfprobeMediaProbeOptions) {}

  async probe(key: string): Promise<ProbeOutcome> {
    return probeSource(await this.options.locate(key), this.options);
  }
}

const numeric = v.pipe(v.union([v.string(), v.number()]), v.transform(Number));
const FfprobeOutput = v.object({
  format: v.optional(v.object({ format_name: v.string(), duration: v.optional(numeric) })),
  streams: v.optional(
    v.array(v.object({
      index: v.number(),
      codec_type: v.optional(v.string()),
      codec_name: v.optional(v.string()),
      width: v.optional(v.number()),
      height: v.optional(v.number()),
      bit_rate: v.optional(numeric),
      channels: v.optional(v.number()),
      sample_rate: v.optional(numeric),
      nb_frames: v.optional(numeric),
      nb_read_packets: v.optional(numeric),
      disposition: v.optional(v.object({ attached_pic: v.optional(v.number()) })),
    })),
  ),
});
type FfprobeStream = NonNullable<v.InferOutput<typeof FfprobeOutput>["streams"]>[number];

/** Probes a local file path or an http(s) URL. */
export async function probeSource(
  source: string,
  options: ProbeOptions = {},
): Promise<ProbeOutcome> {
  const isUrl = /^https?:\/\//.test(source);
  const run = await runFfprobe(await ffprobePath(options.ffprobePath), [
    "-v",
    "error",
    // Only the protocol the source needs: a file may not reach into the network or other files.
    "-protocol_whitelist",
    isUrl ? "http,https,tcp,tls" : "file",
    "-format_whitelist",
    FORMAT_WHITELIST,
    "-count_packets",
    "-print_format",
    "json",
    "-show_format",
    "-show_streams",
    isUrl ? source : `file:${source}`,
  ], options.timeoutMs ?? 120_000);
  if (run.timedOut) return rejected("the file took too long to read");
  if (run.code !== 0) return rejected(failureReason(run.stderr));
  const parsed = v.safeParse(FfprobeOutput, JSON.parse(run.stdout || "{}"));
  if (!parsed.success || !parsed.output.format) return rejected("the file is not media");
  return classify(parsed.output.format, parsed.output.streams ?? [], run.stderr);
}

function classify(
  format: { format_name: string; duration?: number },
  probed: FfprobeStream[],
  stderr: string,
): ProbeOutcome {
  const media = probed.filter((s) =>
    (s.codec_type === "video" && !s.disposition?.attached_pic) || s.codec_type === "audio"
  );
  if (media.length === 0) return rejected("the file has no audio or video stream");
  if (isTruncated(media, stderr)) return rejected("the file is truncated");
  const duration = format.duration;
  if (duration === undefined || !Number.isFinite(duration) || duration <= 0) {
    return rejected("the file has no duration (a still image or an empty stream)");
  }
  const kind: MediaKind = media.some((s) => s.codec_type === "video") ? "video" : "audio";
  const mime = mimeTypeOf(format.format_name, kind, media.map((s) => s.codec_name ?? ""));
  if (!mime) return rejected(`the ${format.format_name} container is not supported for ${kind}`);
  return {
    accepted: true,
    media: {
      media_kind: kind,
      mime_type: mime,
      duration_sec: duration,
      format_name: format.format_name,
      streams: media.map(describeStream),
    },
  };
}

/** Fewer packets than the container's index declares, or the demuxer hit the end of the file. */
function isTruncated(streams: FfprobeStream[], stderr: string): boolean {
  return /partial file|truncat/i.test(stderr) ||
    streams.some((s) =>
      s.nb_frames !== undefined && s.nb_read_packets !== undefined &&
      s.nb_read_packets < s.nb_frames
    );
}

function describeStream(stream: FfprobeStream): MediaStream {
  const whole = (value: number | undefined) =>
    value !== undefined && Number.isInteger(value) && value > 0 ? value : undefined;
  return dropUndefined({
    index: stream.index,
    codec_type: stream.codec_type as "video" | "audio",
    codec_name: stream.codec_name ?? "unknown",
    width: whole(stream.width),
    height: whole(stream.height),
    bit_rate: whole(stream.bit_rate),
    channels: whole(stream.channels),
    sample_rate: whole(stream.sample_rate),
  });
}

/** Events are JSON: leave absent fields out rather than storing undefined. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, x]) => x !== undefined)) as T;
}

/** A short reason for people from ffprobe's error output, without internal paths. */
function failureReason(stderr: string): string {
  if (/not on whitelist/i.test(stderr)) return "the file's format is not a supported media type";
  if (/partial file|truncat/i.test(stderr)) return "the file is truncated";
  if (/moov atom not found|invalid data found/i.test(stderr)) {
    return "the file is not media or is truncated (its container cannot be read)";
  }
  return "the file is not media ffprobe can read";
}

const rejected = (reason: string): ProbeOutcome => ({ accepted: false, reason });

const MAX_STDERR_CHARS = 16_384;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function runFfprobe(executable: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => stdout += chunk);
    // The first lines say what went wrong; a broken file can repeat errors without end.
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < MAX_STDERR_CHARS) stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}
