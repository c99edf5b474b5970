import assert from "node:assert/strict";
import {
  audioRenditions,
  planTranscode,
  segmentSeconds,
  selectLadder,
  UnplannableSourceError,
} from "./ladder.ts";

const names = (width: number, height: number) => selectLadder(width, height).map((r) => r.name);

Deno.test("the ladder never goes above the source", () => {
  assert.deepEqual(names(1920, 1080), ["1080p", "720p", "480p", "360p", "240p"]);
  assert.deepEqual(names(3840, 2160), ["1080p", "720p", "480p", "360p", "240p"]);
  assert.deepEqual(names(1280, 720), ["720p", "480p", "360p", "240p"]);
  assert.deepEqual(names(854, 479), ["360p", "240p"]);
  assert.deepEqual(names(320, 180), ["180p"]);
});

Deno.test("rungs keep the source's aspect ratio with even widths", () => {
  const [top, , , , low] = selectLadder(1920, 1080);
  assert.deepEqual([top!.width, top!.height], [1920, 1080]);
  assert.deepEqual([low!.width, low!.height], [426, 240]);
  const portrait = selectLadder(1080, 1920);
  assert.equal(portrait[0]!.height, 1080);
  assert.equal(portrait[0]!.width, 608);
  assert.ok(portrait.every((r) => r.width % 2 === 0));
});

Deno.test("bitrates fall with the rung, the peak just above the average", () => {
  const ladder = selectLadder(1920, 1080);
  for (let i = 1; i < ladder.length; i++) {
    assert.ok(ladder[i]!.video_kbps < ladder[i - 1]!.video_kbps);
  }
  assert.ok(ladder.every((r) => r.max_kbps > r.video_kbps && r.max_kbps < r.video_kbps * 1.1));
});

Deno.test("segments last 4 to 6 seconds", () => {
  assert.equal(segmentSeconds(), 6);
  assert.equal(segmentSeconds(2), 4);
  assert.equal(segmentSeconds(10), 6);
  assert.equal(segmentSeconds(5), 5);
});

Deno.test("a video plan: ladder, audio group when there is sound, poster inside the clip", () => {
  const plan = planTranscode({
    media_kind: "video",
    duration_sec: 2,
    width: 640,
    height: 360,
    has_audio: true,
  });
  assert.equal(plan.kind, "video");
  if (plan.kind !== "video") return;
  assert.deepEqual(plan.ladder.map((r) => r.name), ["360p", "240p"]);
  assert.equal(plan.progressive.name, "360p");
  assert.equal(plan.audio?.channels, 2);
  assert.ok(plan.poster_at_sec >= 0 && plan.poster_at_sec < 2);
  const silent = planTranscode({
    media_kind: "video",
    duration_sec: 2,
    width: 640,
    height: 360,
    has_audio: false,
  });
  assert.equal(silent.kind === "video" && silent.audio, undefined);
});

Deno.test("an audio plan: MP3, AAC, OGG at 128/192/320 and FLAC", () => {
  const plan = planTranscode({ media_kind: "audio", duration_sec: 3, has_audio: true });
  assert.deepEqual(plan.kind === "audio" && plan.renditions.map((r) => r.name), [
    "mp3-128",
    "mp3-192",
    "mp3-320",
    "aac-128",
    "aac-192",
    "aac-320",
    "ogg-128",
    "ogg-192",
    "ogg-320",
    "flac",
  ]);
  assert.equal(audioRenditions().find((r) => r.format === "flac")?.kbps, undefined);
});

Deno.test("sources that cannot be planned say why", () => {
  assert.throws(
    () => planTranscode({ media_kind: "video", duration_sec: 2, has_audio: true }),
    UnplannableSourceError,
  );
  assert.throws(
    () => planTranscode({ media_kind: "audio", duration_sec: 2, has_audio: false }),
    UnplannableSourceError,
  );
});
