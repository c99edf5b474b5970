import assert from "node:assert/strict";
import { playlistUris } from "./hls.ts";

Deno.test("a playlist's URIs resolve against its own signed URL; tags and blank lines are skipped", () => {
  const master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p/index.m3u8\n\n" +
    "#EXT-X-STREAM-INF:BANDWIDTH=2800000\n720p/index.m3u8\n";
  const url = "http://127.0.0.1:8080/v1/videos/v1/stream/sig/renditions/u/1/hls/master.m3u8";
  assert.deepEqual(playlistUris(master, url), [
    "http://127.0.0.1:8080/v1/videos/v1/stream/sig/renditions/u/1/hls/360p/index.m3u8",
    "http://127.0.0.1:8080/v1/videos/v1/stream/sig/renditions/u/1/hls/720p/index.m3u8",
  ]);
  const media = "#EXTM3U\n#EXTINF:4.0,\nseg-00000.ts\n#EXTINF:4.0,\nseg-00001.ts\n#EXT-X-ENDLIST";
  assert.deepEqual(playlistUris(media, url).map((u) => u.split("/").pop()), [
    "seg-00000.ts",
    "seg-00001.ts",
  ]);
});
