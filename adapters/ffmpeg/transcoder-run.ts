/** Runs one ffmpeg command spec through fluent-ffmpeg, with progress and cancellation. */
import ffmpeg from "fluent-ffmpeg";
import { TranscodeFailedError } from "../../domain/ports/transcoder.ts";
import type { FfmpegCommandSpec } from "./transcoder-commands.ts";

export function runFfmpeg(
  binary: string,
  spec: FfmpegCommandSpec,
  { onProgress, signal }: { onProgress?: (percent: number) => void; signal?: AbortSignal } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const command = ffmpeg().setFfmpegPath(binary).input(spec.input);
    if (spec.inputOptions.length) command.inputOptions(...spec.inputOptions, "-hide_banner");
    if (spec.complexFilter) command.complexFilter(spec.complexFilter);
    for (const output of spec.outputs) command.output(output.path).outputOptions(...output.options);
    const abort = () => command.kill("SIGKILL");
    signal?.addEventListener("abort", abort, { once: true });
    // Progress from ffmpeg's own stderr: its input Duration line, then the time= of each status
    // line. (fluent-ffmpeg's "progress" event would run ffprobe on the source beside every run.)
    let durationSec: number | undefined;
    if (onProgress) {
      command
        .on("codecData", (data: { duration?: string }) => {
          durationSec = secondsOf(data.duration);
        })
        .on("stderr", (line: string) => {
          const done = secondsOf(/time=\s*(\d+:\d+:\d+(?:\.\d+)?)/.exec(line)?.[1]);
          if (done !== undefined && durationSec) {
            onProgress(Math.min(100, Math.max(0, (done / durationSec) * 100)));
          }
        });
    }
    command
      .on("end", () => {
        signal?.removeEventListener("abort", abort);
        resolve();
      })
      .on("error", (error: Error, _stdout: string | null, stderr: string | null) => {
        signal?.removeEventListener("abort", abort);
        if (signal?.aborted) return reject(signal.reason);
        reject(new TranscodeFailedError(reasonFrom(stderr) ?? error.message));
      })
      .run();
  });
}

/** The last meaningful stderr lines: ffmpeg states the cause at the end. */
function reasonFrom(stderr: string | null): string | undefined {
  const lines = (stderr ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.length ? `ffmpeg: ${lines.slice(-3).join(" | ").slice(0, 500)}` : undefined;
}

/** Seconds of an ffmpeg time mark such as "00:01:02.50"; undefined for anything else. */
function secondsOf(timemark: string | undefined): number | undefined {
  const match = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(timemark ?? "");
  if (!match) return undefined;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}
