import assert from "node:assert/strict";
import {
  measuredBandwidth,
  parseMasterPlaylist,
  parseMediaPlaylist,
  PlaylistSyntaxError,
  renderMasterPlaylist,
} from "./playlists.ts";

Deno.test("the master playlist lists each variant with BANDWIDTH, RESOLUTION, CODECS and the audio group", () => {
  const text = renderMasterPlaylist(
    [{
      uri: "720p/index.m3u8",
      bandwidth: 3_100_000,
      average_bandwidth: 2_900_000,
      width: 1280,
      height: 720,
      codecs: "avc1.4d401f,mp4a.40.2",
    }],
    { uri: "audio/index.m3u8", group_id: "aac", name: "Stereo", channels: 2 },
  );
  const master = parseMasterPlaylist(text);
  assert.equal(master.media[0]!.TYPE, "AUDIO");
  assert.equal(master.media[0]!.URI, "audio/index.m3u8");
  assert.deepEqual(master.variants[0], {
    BANDWIDTH: "3100000",
    "AVERAGE-BANDWIDTH": "2900000",
    RESOLUTION: "1280x720",
    CODECS: "avc1.4d401f,mp4a.40.2",
    AUDIO: "aac",
    uri: "720p/index.m3u8",
  });
});

Deno.test("a media playlist gives its segments and durations", () => {
  const playlist = parseMediaPlaylist(
    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n" +
      "#EXTINF:6.000000,\nseg-00000.ts\n#EXTINF:1.5,\nseg-00001.ts\n#EXT-X-ENDLIST\n",
  );
  assert.deepEqual(playlist, {
    target_duration: 6,
    playlist_type: "VOD",
    ended: true,
    segments: [{ uri: "seg-00000.ts", duration_sec: 6 }, {
      uri: "seg-00001.ts",
      duration_sec: 1.5,
    }],
  });
});

Deno.test("broken playlists are refused", () => {
  assert.throws(() => parseMediaPlaylist("seg.ts\n"), PlaylistSyntaxError);
  assert.throws(
    () => parseMediaPlaylist("#EXTM3U\n#EXT-X-TARGETDURATION:6\nseg.ts\n"),
    PlaylistSyntaxError,
  );
  assert.throws(() => parseMediaPlaylist("#EXTM3U\n#EXTINF:6,\nseg.ts\n"), PlaylistSyntaxError);
  assert.throws(
    () => parseMasterPlaylist("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n"),
    PlaylistSyntaxError,
  );
});

Deno.test("bandwidth: the peak segment and the average over all", () => {
  assert.deepEqual(
    measuredBandwidth([{ bytes: 1000, duration_sec: 2 }, { bytes: 3000, duration_sec: 2 }]),
    { peak: 12_000, average: 8_000 },
  );
  assert.deepEqual(measuredBandwidth([]), { peak: 0, average: 0 });
});
