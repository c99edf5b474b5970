/**
 * Test media for the transcoding tests: a few seconds of ffmpeg's lavfi test sources stored in a
 * blob storage, and ffprobe over stored bytes (every produced segment must decode).
 */
import type { BlobStorage } from "../../domain/ports/blob-storage.ts";
import { ffmpegPath, ffprobePath } from "./binary.ts";

/** Stores a generated clip: `video` for testsrc2 + a sine tone, `audio` for the tone alone. */
export async function storeTestClip(
  storage: BlobStorage,
  key: string,
  options: { kind: "video" | "audio"; seconds: number; width?: number; height?: number },
): Promise<Uint8Array> {
  const size = `${options.width ?? 640}x${options.height ?? 360}`;
  const tone = [
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=440:sample_rate=48000:duration=${options.seconds}`,
  ];
  const args = options.kind === "video"
    ? [
      ...["-f", "lavfi", "-i", `testsrc2=size=${size}:rate=25:duration=${options.seconds}`],
      ...tone,
      ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"],
      ...["-shortest", "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov"],
    ]
    : [...tone, "-c:a", "flac", "-f", "flac"];
  const bytes = await run(await ffmpegPath(), ["-v", "error", ...args, "pipe:1"]);
  await storage.put(key, bytes, {
    contentType: options.kind === "video" ? "video/mp4" : "audio/flac",
  });
  return bytes;
}

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  channels?: number;
}

/** ffprobe of a stored object, after decoding it whole (a broken packet fails). */
export async function probeStored(
  storage: BlobStorage,
  key: string,
): Promise<{ streams: ProbedStream[]; format: { format_name: string; duration?: string } }> {
  const read = await storage.get(key);
  const bytes = new Uint8Array(await new Response(read.body).arrayBuffer());
  await run(
    await ffmpegPath(),
    ["-v", "error", "-xerror", "-i", "pipe:0", "-f", "null", "-"],
    bytes,
  );
  const json = await run(
    await ffprobePath(),
    ["-v", "error", "-show_streams", "-show_format", "-of", "json", "pipe:0"],
    bytes,
  );
  return JSON.parse(new TextDecoder().decode(json));
}

export async function storedText(storage: BlobStorage, key: string): Promise<string> {
  return await new Response((await storage.get(key)).body).text();
}

async function run(binary: string, args: string[], stdin?: Uint8Array): Promise<Uint8Array> {
  const child = new Deno.Command(binary, {
    args,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin) {
    const writer = child.stdin.getWriter();
    await writer.write(stdin).catch(() => {}); // a probe may stop reading early
    await writer.close().catch(() => {});
  }
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) {
    throw new Error(`${binary} ${args.join(" ")}: ${new TextDecoder().decode(stderr)}`);
  }
  return stdout;
}
