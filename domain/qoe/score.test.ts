import assert from "node:assert/strict";
import { bitrateScore, droppedFramesScore, qoeScore, rebufferingScore, vstScore } from "./score.ts";

Deno.test("sub-scores: linear between their perfect and worst points, clamped", () => {
  assert.deepEqual([vstScore(800), vstScore(2_000), vstScore(3_000), vstScore(9_000)], [
    100,
    75,
    50,
    0,
  ]);
  assert.deepEqual([rebufferingScore(0), rebufferingScore(0.02), rebufferingScore(0.2)], [
    100,
    60,
    0,
  ]);
  assert.deepEqual([bitrateScore(2_500, 5_000), bitrateScore(8_000, 5_000)], [50, 100]);
  assert.deepEqual([droppedFramesScore(0), droppedFramesScore(30)], [100, 50]);
});

Deno.test("the QoE score weighs 30/40/20/10 and leaves out a sub-score without data", () => {
  assert.equal(qoeScore({ vst: 100, rebuffering: 50, bitrate: 100, dropped_frames: 0 }), 70);
  assert.equal(qoeScore({ vst: null, rebuffering: 50, bitrate: 100, dropped_frames: 0 }), 57.1);
  assert.equal(
    qoeScore({ vst: null, rebuffering: null, bitrate: null, dropped_frames: null }),
    null,
  );
});
