import assert from "node:assert/strict";
import * as v from "valibot";
import { playbackEventFromCmcd } from "./from-cmcd.ts";
import { PlaybackEvent } from "./playback-event.ts";

const identity = {
  eventId: "0b7e2d6c-3f5a-8d1e-9c4b-2a1f0e9d8c7b",
  fallbackSeq: 77,
  receivedAt: Date.parse("2026-11-21T12:00:00Z"),
};

Deno.test("a v1 segment request: session, content, bitrate, buffer; the rest kept in cmcd", () => {
  const event = playbackEventFromCmcd(
    { sid: "s-1", cid: "movie-1", br: 3200, bl: 21300, bs: true, mtp: 48100, d: 4004, ot: "v" },
    identity,
  );
  assert.deepEqual(event, {
    event_id: identity.eventId,
    type: "progress",
    session_id: "s-1",
    seq: 77,
    content_id: "movie-1",
    timestamp: identity.receivedAt,
    bitrate_kbps: 3200,
    buffer_health_sec: 21.3,
    cmcd: {
      sid: "s-1",
      cid: "movie-1",
      br: 3200,
      bl: 21300,
      bs: true,
      mtp: 48100,
      d: 4004,
      ot: "v",
    },
  });
  assert.ok(v.safeParse(PlaybackEvent, event).success);
});

Deno.test("v2 event mode: play states, time intervals, errors; sn, ts and pt", () => {
  const base = { sid: "s", cid: "c", v: 2, sn: 4, ts: 1_700_000_000_000, pt: 125_000 };
  const typeOf = (fields: Record<string, unknown>) =>
    playbackEventFromCmcd({ ...base, ...fields }, identity).type;
  assert.deepEqual(
    ["s", "p", "k", "r", "a", "w", "e", "f", "q", "d"].map((sta) => typeOf({ e: "ps", sta })),
    [
      "play",
      "resume",
      "seek",
      "buffer_start",
      "pause",
      "pause",
      "ended",
      "error",
      "stop",
      "progress",
    ],
  );
  assert.deepEqual(
    [typeOf({ e: "t" }), typeOf({ e: "bc" }), typeOf({ e: "e" }), typeOf({ e: "m" })],
    ["heartbeat", "bitrate_change", "error", "progress"],
  );
  const paused = playbackEventFromCmcd({ ...base, e: "ps", sta: "a" }, identity);
  assert.deepEqual(
    [paused.seq, paused.timestamp, paused.position_sec],
    [4, 1_700_000_000_000, 125],
  );
  const fatal = playbackEventFromCmcd({ ...base, e: "ps", sta: "f", ec: ["E42", "x"] }, identity);
  assert.deepEqual([fatal.fatal, fatal.error_code], [true, "E42"]);
});

Deno.test("request mode: playing is a heartbeat, a pause a pause; v2 lists give their first value", () => {
  const playing = playbackEventFromCmcd(
    { sid: "s", cid: "c", sta: "p", br: [3200, 128], bl: [8000] },
    identity,
  );
  assert.deepEqual([playing.type, playing.bitrate_kbps, playing.buffer_health_sec], [
    "heartbeat",
    3200,
    8,
  ]);
  assert.equal(playbackEventFromCmcd({ sid: "s", sta: "a" }, identity).type, "pause");
});

Deno.test("the route's content fills in a missing cid; no sid fails validation by name", () => {
  const event = playbackEventFromCmcd({ br: 100 }, { ...identity, contentId: "ep-9" });
  assert.equal(event.content_id, "ep-9");
  const result = v.safeParse(PlaybackEvent, event);
  assert.ok(!result.success);
  assert.ok(result.issues.some((issue) => issue.path?.[0]?.key === "session_id"));
});
