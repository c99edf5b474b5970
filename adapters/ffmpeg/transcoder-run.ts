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
    command
      .on("progress", (progress: { percent?: number }) => {
        const percent = progress.percent;
        if (onProgress && percent !== undefined && Number.isFinite(percent)) {
          onProgress(Math.min(100, Math.max(0, percent)));
        }
      })
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
