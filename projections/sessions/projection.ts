/**
 * Playback sessions: one row per session, folded from its telemetry (domain/playback/session.ts).
 * Whether a silent session is dropped is decided when reading, against the clock, so no timer is
 * needed and a late heartbeat simply brings the session back to "playing".
 */
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { foldSession } from "../../domain/playback/session.ts";
import type { TelemetryProjection } from "../runtime/projection.ts";
import { sessionFromRow } from "./rows.ts";

export const sessionsProjection: TelemetryProjection = {
  source: "telemetry",
  name: "sessions",
  version: 1,
  tables: ["sessions"],

  async setup(tx, schema) {
    await tx.exec(`
      CREATE TABLE ${schema}.sessions (
        session_id text PRIMARY KEY,
        content_id text NOT NULL,
        user_id text,
        profile_id text,
        device_type text,
        country text,
        started_at timestamptz NOT NULL,
        first_frame_at timestamptz,
        last_event_at timestamptz NOT NULL,
        last_seq integer NOT NULL,
        position_sec double precision,
        played_ms double precision NOT NULL,
        rebuffer_ms double precision NOT NULL,
        stalls integer NOT NULL,
        ended_by text,
        error_code text
      );
      CREATE INDEX ON ${schema}.sessions (user_id, profile_id, last_event_at DESC);
      CREATE INDEX ON ${schema}.sessions (last_event_at) WHERE ended_by IS NULL;
    `);
  },

  async apply(tx, schema, records) {
    const table = `${schema}.sessions`;
    const ids = [
      ...new Set(records.map((r) => r.value.session_id).filter((id) => typeof id === "string")),
    ];
    if (ids.length === 0) return;
    const sessions = await loadSessions(tx, table, ids as string[]);
    for (const { value } of records) {
      const id = value.session_id as string;
      const folded = foldSession(sessions.get(id), value);
      if (folded) sessions.set(id, folded);
    }
    // Folding takes maxima and minima, so writing the folded rows over the stored ones is a replay-safe merge.
    await tx.query(
      `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(null::${table}, $1)
       ON CONFLICT (session_id) DO UPDATE SET
         first_frame_at = excluded.first_frame_at, last_event_at = excluded.last_event_at,
         last_seq = excluded.last_seq, position_sec = excluded.position_sec,
         played_ms = excluded.played_ms, rebuffer_ms = excluded.rebuffer_ms, stalls = excluded.stalls,
         ended_by = excluded.ended_by, error_code = excluded.error_code, started_at = excluded.started_at`,
      [JSON.stringify([...sessions.values()])],
    );
  },
};

async function loadSessions(tx: SqlExecutor, table: string, ids: string[]) {
  const rows = await tx.query<Record<string, unknown>>(
    `SELECT * FROM ${table} WHERE session_id = ANY($1::text[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.session_id as string, sessionFromRow(row)]));
}
