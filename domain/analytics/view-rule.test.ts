import assert from "node:assert/strict";
import type { SessionSummary } from "../playback/session.ts";
import { foldSession } from "../playback/session.ts";
import { becameViewAt, DEFAULT_VIEW_RULE, isView } from "./view-rule.ts";

const at = (sec: number) => new Date(Date.UTC(2026, 10, 21, 12, 0, sec)).toISOString();
const event = (seq: number, type: string, played_ms?: number) => ({
  session_id: "s1",
  content_id: "c1",
  type,
  seq,
  timestamp: at(seq * 5),
  ...(played_ms === undefined ? {} : { played_ms }),
});

function fold(events: ReturnType<typeof event>[]): SessionSummary | undefined {
  return events.reduce<SessionSummary | undefined>((s, e) => foldSession(s, e), undefined);
}

Deno.test("a session is a view once it reached its first frame and played 10 s", () => {
  assert.equal(
    isView(fold([event(0, "play"), event(1, "first_frame", 0)])!, DEFAULT_VIEW_RULE),
    false,
  );
  assert.equal(
    isView(fold([event(0, "play"), event(2, "heartbeat", 9_999)])!, DEFAULT_VIEW_RULE),
    false,
  );
  const watched = fold([event(0, "play"), event(1, "first_frame"), event(2, "heartbeat", 10_000)]);
  assert.equal(isView(watched!, DEFAULT_VIEW_RULE), true);
});

Deno.test("played time without a first frame is no view, and the threshold is configurable", () => {
  const noFrame = fold([event(0, "play"), event(3, "heartbeat", 60_000)])!;
  assert.equal(isView(noFrame, DEFAULT_VIEW_RULE), false);
  const short = fold([event(0, "first_frame"), event(1, "heartbeat", 3_000)])!;
  assert.equal(isView(short, { minPlayedSec: 3 }), true);
  assert.equal(isView(short, { minPlayedSec: 30 }), false);
});

Deno.test("a session becomes a view once, at the event that made it qualify", () => {
  const before = fold([event(0, "play"), event(1, "first_frame"), event(2, "heartbeat", 9_000)]);
  const crossing = event(3, "heartbeat", 12_000);
  const after = foldSession(before, crossing)!;
  assert.equal(becameViewAt(before, after, crossing.timestamp, DEFAULT_VIEW_RULE), at(15));
  const later = foldSession(after, event(4, "heartbeat", 20_000))!;
  assert.equal(becameViewAt(after, later, at(20), DEFAULT_VIEW_RULE), undefined);
  assert.equal(becameViewAt(undefined, before!, at(10), DEFAULT_VIEW_RULE), undefined);
});
