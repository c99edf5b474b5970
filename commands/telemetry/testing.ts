/** Test helpers for telemetry ingest. */

/** A valid heartbeat of `session` at `seq`, with `extra` fields on top. */
export function heartbeat(session: string, seq: number, extra: Record<string, unknown> = {}) {
  return {
    event_id: crypto.randomUUID(),
    type: "heartbeat",
    session_id: session,
    seq,
    content_id: "movie-1",
    timestamp: "2026-11-21T12:00:00.000Z",
    position_sec: 10 * seq,
    played_ms: 10_000 * seq,
    ...extra,
  };
}
