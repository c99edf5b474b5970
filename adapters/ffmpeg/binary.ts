/**
 * Where the ffmpeg and ffprobe executables are: the configured path (FFMPEG_PATH / FFPROBE_PATH),
 * else the system binary on PATH, else, for ffmpeg only, the one shipped by
 * @ffmpeg-installer/ffmpeg (that package has no ffprobe). Lookups are made once per process.
 */
import { access, chmod, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";
import process from "node:process";

export class MediaToolNotFoundError extends Error {
  override readonly name = "MediaToolNotFoundError";
}

const found = new Map<string, Promise<string>>();

/** The ffmpeg executable; `configured` is FFMPEG_PATH when set. */
export function ffmpegPath(configured?: string): Promise<string> {
  return memo(
    `ffmpeg:${configured ?? ""}`,
    async () => configured ?? await onPath("ffmpeg") ?? await shippedFfmpeg(),
  );
}

/** The ffprobe executable; `configured` is FFPROBE_PATH when set. */
export function ffprobePath(configured?: string): Promise<string> {
  return memo(`ffprobe:${configured ?? ""}:${process.env.PATH}`, async () => {
    const path = configured ?? await onPath("ffprobe");
    if (path) return path;
    throw new MediaToolNotFoundError(
      "ffprobe was not found on PATH; install ffmpeg (it includes ffprobe) or set FFPROBE_PATH",
    );
  });
}

function memo(key: string, resolve: () => Promise<string>): Promise<string> {
  let path = found.get(key);
  if (!path) {
    path = resolve();
    // A failed lookup is not remembered: the tool may be installed later.
    path.catch(() => found.delete(key));
    found.set(key, path);
  }
  return path;
}

async function onPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function shippedFfmpeg(): Promise<string> {
  let path: string;
  try {
    path = (await import("@ffmpeg-installer/ffmpeg")).default.path;
  } catch (error) {
    throw new MediaToolNotFoundError(
      "ffmpeg is not on PATH and @ffmpeg-installer/ffmpeg has no binary for this platform; " +
        "install ffmpeg or set FFMPEG_PATH",
      { cause: error },
    );
  }
  // The package's postinstall, which marks the binary executable, does not always run.
  if (!await isExecutable(path)) await chmod(path, 0o755);
  return path;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
