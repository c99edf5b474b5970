/**
 * Test helper: a scripted viewer that plays items the way a player reports them to POST /v1/events
 * (play, first_frame, heartbeats with increasing positions, then stop or ended).
 */
import assert from "node:assert/strict";
import type { TestService } from "../../adapters/testing/service.ts";

export interface ScriptedViewer {
  headers: Record<string, string>;
  /** Plays `contentId` from `fromSec` to `toSec`, then stops there (or ends, with `ended`). */
  play(
    contentId: string,
    options: { fromSec?: number; toSec: number; durationSec: number; ended?: boolean },
  ): Promise<void>;
  get: (path: string) => ReturnType<TestService["call"]>;
}

const HEARTBEAT_SEC = 10;

export function scriptedViewer(
  api: TestService,
  userId: string = crypto.randomUUID(),
  profileId?: string,
): ScriptedViewer {
  const headers: Record<string, string> = { "x-user-id": userId };
  if (profileId) headers["x-profile-id"] = profileId;
  // Event times step forward from a minute ago, so each session is newer than the one before.
  let clock = Date.now() - 60_000;
  return {
    headers,
    async play(contentId, { fromSec = 0, toSec, durationSec, ended = false }) {
      const session = crypto.randomUUID();
      let seq = 0;
      const event = (type: string, position: number) => ({
        event_id: crypto.randomUUID(),
        type,
        session_id: session,
        seq: seq++,
        content_id: contentId,
        timestamp: new Date(clock++).toISOString(),
        position_sec: position,
        duration_sec: durationSec,
      });
      const events = [event("play", fromSec), event("first_frame", fromSec)];
      for (let at = fromSec + HEARTBEAT_SEC; at < toSec; at += HEARTBEAT_SEC) {
        events.push(event("heartbeat", at));
      }
      events.push(event(ended ? "ended" : "stop", toSec));
      for (let i = 0; i < events.length; i += 100) {
        const answer = await api.call("POST", "/v1/events", {
          events: events.slice(i, i + 100),
        }, headers);
        assert.equal(answer.status, 202, JSON.stringify(answer.body));
      }
      await api.settled();
    },
    get: (path) => api.call("GET", path, undefined, headers),
  };
}
