/**
 * Small media files made by ffmpeg from its lavfi test sources, for tests: a few seconds each, in a
 * temporary directory the caller removes.
 */
import { spawn } from "node:child_process";
import { ffmpegPath } from "./binary.ts";

const VIDEO = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10"];
const TONE = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"];

/** The ffmpeg arguments (after the inputs) of each sample, by file name. */
const SAMPLES = {
  "clip.mp4": [...VIDEO, ...TONE, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"],
  // The index first, so a copy cut short still opens and only demuxing to the end shows the gap.
  "faststart.mp4": [
    ...VIDEO,
    ...TONE,
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-c:a",
    "aac",
    "-movflags",
    "+faststart",
  ],
  "tone.mp3": [...TONE, "-c:a", "libmp3lame"],
  "tone.m4a": [...TONE, "-c:a", "aac"],
  "still.png": [...VIDEO, "-frames:v", "1"],
} as const;
export type SampleName = keyof typeof SAMPLES;

/** Writes `name` (`seconds` long) into `dir` and answers its path. */
export async function makeSample(dir: string, name: SampleName, seconds = 2): Promise<string> {
  const path = `${dir}/${name}`;
  const duration = name === "still.png" ? [] : ["-t", String(seconds)];
  await run(await ffmpegPath(Deno.env.get("FFMPEG_PATH")), [
    "-v",
    "error",
    "-y",
    ...SAMPLES[name],
    ...duration,
    path,
  ]);
  return path;
}

function run(executable: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => stderr += chunk);
    child.on("error", reject);
    child.on(
      "close",
      (code) => code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}: ${stderr}`)),
    );
  });
}
