import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BlobStorage } from "../../domain/ports/blob-storage.ts";
import { TranscodeFailedError } from "../../domain/ports/transcoder.ts";
import { planTranscode } from "../../domain/transcoding/ladder.ts";
import { parseMasterPlaylist, parseMediaPlaylist } from "../../domain/transcoding/playlists.ts";
import { FsBlobStorage } from "../blob-storage/fs-blob-storage.ts";
import { S3BlobStorage } from "../blob-storage/s3-blob-storage.ts";
import { configFrom, S3_VARIABLES } from "../blob-storage/s3-test-config.ts";
import { integrationTest } from "../testing/integration.ts";
import { ffmpegPath } from "./binary.ts";
import { FfmpegTranscoder } from "./transcoder.ts";
import { probeStored, storedText, storeTestClip } from "./transcoder-testing.ts";

async function withTranscoder(
  fn: (storage: FsBlobStorage, transcoder: FfmpegTranscoder) => Promise<void>,
) {
  const root = await mkdtemp(join(tmpdir(), "transcoder-test-"));
  const storage = await FsBlobStorage.open(root);
  try {
    await fn(storage, new FfmpegTranscoder({ storage, ffmpeg: () => ffmpegPath() }));
  } finally {
    await storage.close();
    await rm(root, { recursive: true, force: true });
  }
}

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

test("a video becomes an HLS ladder with an audio group, a progressive MP4 and a poster", () =>
  withTranscoder(async (storage, transcoder) => {
    await storeTestClip(storage, "sources/clip.mp4", {
      kind: "video",
      seconds: 7,
      width: 640,
      height: 360,
    });
    const plan = planTranscode(
      { media_kind: "video", duration_sec: 7, width: 640, height: 360, has_audio: true },
      { segmentSec: 4 },
    );
    const progress: number[] = [];
    const result = await transcoder.transcode(
      { source_key: "sources/clip.mp4", output_prefix: "renditions/u1/", plan },
      { onProgress: (percent) => progress.push(percent) },
    );
    assert.ok(progress.length > 0 && progress.every((p) => p >= 0 && p <= 100));

    const master = parseMasterPlaylist(await storedText(storage, result.master_playlist_key!));
    assert.deepEqual(master.variants.map((v) => [v.RESOLUTION, v.uri]), [
      ["640x360", "360p/index.m3u8"],
      ["426x240", "240p/index.m3u8"],
    ]);
    assert.ok(
      master.variants.every((v) =>
        Number(v.BANDWIDTH) > 0 && v.CODECS === `avc1.4d401e,mp4a.40.2` && v.AUDIO === "audio"
      ),
    );
    assert.deepEqual(master.media.map((m) => [m.TYPE, m.URI, m.CHANNELS]), [[
      "AUDIO",
      "audio/index.m3u8",
      "2",
    ]]);

    for (const uri of [...master.variants.map((v) => v.uri), "audio/index.m3u8"]) {
      const playlistKey = `renditions/u1/hls/${uri}`;
      const playlist = parseMediaPlaylist(await storedText(storage, playlistKey));
      assert.equal(playlist.playlist_type, "VOD");
      assert.ok(playlist.ended);
      assert.ok(playlist.segments.length >= 2, `${uri} has ${playlist.segments.length} segments`);
      for (const segment of playlist.segments) {
        assert.ok(segment.duration_sec <= 6.1, `${uri}: a segment of ${segment.duration_sec} s`);
        const segmentKey = playlistKey.replace(/index\.m3u8$/, segment.uri);
        const probed = await probeStored(storage, segmentKey);
        const wanted = uri.startsWith("audio") ? "aac" : "h264";
        assert.deepEqual(probed.streams.map((s) => s.codec_name), [wanted]);
      }
    }

    const mp4 = await probeStored(storage, result.progressive_key!);
    assert.deepEqual(mp4.streams.map((s) => s.codec_name).sort(), ["aac", "h264"]);
    assert.ok(Number(mp4.format.duration) > 6.5);
    const head = new TextDecoder().decode(
      await new Response(
        (await storage.get(result.progressive_key!, { range: { start: 0, end: 63 } })).body,
      ).arrayBuffer(),
    );
    assert.ok(head.includes("ftyp"));
    const atoms = new TextDecoder("latin1").decode(
      new Uint8Array(
        await new Response((await storage.get(result.progressive_key!)).body).arrayBuffer(),
      ),
    );
    assert.ok(atoms.indexOf("moov") < atoms.indexOf("mdat"), "faststart puts moov before mdat");

    const poster = await probeStored(storage, result.poster_key!);
    assert.deepEqual(poster.streams.map((s) => [s.codec_name, s.width, s.height]), [[
      "mjpeg",
      640,
      360,
    ]]);
  }));

test("an audio item becomes MP3, AAC and OGG at three rates and FLAC", () =>
  withTranscoder(async (storage, transcoder) => {
    await storeTestClip(storage, "sources/song.flac", { kind: "audio", seconds: 3 });
    const plan = planTranscode({ media_kind: "audio", duration_sec: 3, has_audio: true });
    const result = await transcoder.transcode({
      source_key: "sources/song.flac",
      output_prefix: "renditions/u2/",
      plan,
    });
    assert.equal(result.master_playlist_key, undefined);
    const codecs = [];
    for (const rendition of result.audio_renditions) {
      const probed = await probeStored(storage, rendition.key);
      codecs.push(
        `${rendition.name}:${probed.streams[0]!.codec_name}:${probed.streams[0]!.channels}`,
      );
    }
    assert.deepEqual(codecs, [
      "mp3-128:mp3:2",
      "mp3-192:mp3:2",
      "mp3-320:mp3:2",
      "aac-128:aac:2",
      "aac-192:aac:2",
      "aac-320:aac:2",
      "ogg-128:vorbis:2",
      "ogg-192:vorbis:2",
      "ogg-320:vorbis:2",
      "flac:flac:1",
    ]);
  }));

integrationTest({
  name: "from a store without local files (S3), the source is copied out for ffmpeg",
  requires: S3_VARIABLES,
  fn: async (env) => {
    const storage: BlobStorage = new S3BlobStorage(configFrom(env));
    const prefix = `transcoder-test-${crypto.randomUUID().slice(0, 8)}/`;
    try {
      assert.equal(storage.localPath, undefined);
      await storeTestClip(storage, `${prefix}sources/song.flac`, { kind: "audio", seconds: 2 });
      const transcoder = new FfmpegTranscoder({ storage, ffmpeg: () => ffmpegPath() });
      const result = await transcoder.transcode({
        source_key: `${prefix}sources/song.flac`,
        output_prefix: `${prefix}renditions/`,
        plan: planTranscode({ media_kind: "audio", duration_sec: 2, has_audio: true }),
      });
      const flac = result.audio_renditions.find((r) => r.name === "flac")!;
      assert.equal((await probeStored(storage, flac.key)).streams[0]!.codec_name, "flac");
    } finally {
      await storage.deletePrefix(prefix);
      await storage.close();
    }
  },
});

test("a source that is not media fails with ffmpeg's reason and leaves nothing", () =>
  withTranscoder(async (storage, transcoder) => {
    await storage.put("sources/text.mp4", new TextEncoder().encode("not a video at all"), {
      contentType: "video/mp4",
    });
    const plan = planTranscode({
      media_kind: "video",
      duration_sec: 2,
      width: 320,
      height: 240,
      has_audio: false,
    });
    const error = await transcoder.transcode({
      source_key: "sources/text.mp4",
      output_prefix: "renditions/u3/",
      plan,
    })
      .then(() => undefined, (e) => e);
    assert.ok(error instanceof TranscodeFailedError, String(error));
    assert.match(error.message, /ffmpeg/);
    const left = [];
    for await (const item of storage.list("renditions/u3/")) left.push(item.key);
    assert.deepEqual(left, []);
  }));

test("an aborted transcode stops ffmpeg and rejects with the abort reason", () =>
  withTranscoder(async (storage, transcoder) => {
    await storeTestClip(storage, "sources/long.mp4", {
      kind: "video",
      seconds: 20,
      width: 640,
      height: 360,
    });
    const plan = planTranscode({
      media_kind: "video",
      duration_sec: 20,
      width: 640,
      height: 360,
      has_audio: true,
    });
    const abort = new AbortController();
    const running = transcoder.transcode(
      { source_key: "sources/long.mp4", output_prefix: "renditions/u4/", plan },
      { onProgress: () => abort.abort(new Error("stopped by the test")), signal: abort.signal },
    );
    await assert.rejects(running, /stopped by the test/);
  }));
