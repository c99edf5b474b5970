import assert from "node:assert/strict";
import { probeSource } from "./probe.ts";
import { makeSample } from "./test-media.ts";

const options = { ffprobePath: Deno.env.get("FFPROBE_PATH") };

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "probe-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A copy of the first half of `path`. */
async function firstHalf(path: string): Promise<string> {
  const bytes = await Deno.readFile(path);
  const cut = `${path}.cut${path.slice(path.lastIndexOf("."))}`;
  await Deno.writeFile(cut, bytes.subarray(0, bytes.length >> 1));
  return cut;
}

Deno.test("a video clip is video with its streams, duration and media type", () =>
  withDir(async (dir) => {
    const outcome = await probeSource(await makeSample(dir, "clip.mp4", 2), options);
    assert.ok(outcome.accepted, JSON.stringify(outcome));
    const { media } = outcome;
    assert.equal(media.media_kind, "video");
    assert.equal(media.mime_type, "video/mp4");
    assert.equal(media.format_name, "mov,mp4,m4a,3gp,3g2,mj2");
    assert.ok(Math.abs(media.duration_sec - 2) < 0.2, `duration ${media.duration_sec}`);
    const video = media.streams.find((s) => s.codec_type === "video");
    const audio = media.streams.find((s) => s.codec_type === "audio");
    assert.deepEqual([video?.codec_name, video?.width, video?.height], ["h264", 160, 120]);
    assert.deepEqual([audio?.codec_name, audio?.sample_rate], ["aac", 44100]);
    assert.ok(audio?.channels);
  }));

Deno.test("audio-only files are audio", () =>
  withDir(async (dir) => {
    for (const [name, mime] of [["tone.mp3", "audio/mpeg"], ["tone.m4a", "audio/mp4"]] as const) {
      const outcome = await probeSource(await makeSample(dir, name), options);
      assert.ok(outcome.accepted, `${name}: ${JSON.stringify(outcome)}`);
      assert.equal(outcome.media.media_kind, "audio");
      assert.equal(outcome.media.mime_type, mime);
      assert.deepEqual(outcome.media.streams.map((s) => s.codec_type), ["audio"]);
    }
  }));

Deno.test("files that are not acceptable media are refused with a reason", () =>
  withDir(async (dir) => {
    const text = `${dir}/notes.mp4`;
    await Deno.writeTextFile(text, "this is a text file with a video's name\n".repeat(50));
    const empty = `${dir}/empty.mp4`;
    await Deno.writeFile(empty, new Uint8Array());
    const cases = {
      "text named .mp4": [text, /not media/],
      "zero bytes": [empty, /not media/],
      "an image": [await makeSample(dir, "still.png"), /not a supported media type/],
      "truncated, index at the end": [await firstHalf(await makeSample(dir, "clip.mp4")), /trunc/],
      "truncated, index first": [await firstHalf(await makeSample(dir, "faststart.mp4")), /trunc/],
    } as const;
    for (const [what, [path, reason]] of Object.entries(cases)) {
      const outcome = await probeSource(path, options);
      assert.equal(outcome.accepted, false, what);
      if (!outcome.accepted) assert.match(outcome.reason, reason, what);
    }
  }));
