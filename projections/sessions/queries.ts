/** Queries over the live sessions read model (the view sessions.sessions). */
import type { SessionSummary } from "../../domain/playback/session.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { sessionFromRow } from "./rows.ts";

/** A viewer's most recent sessions, newest first. */
export async function viewerSessions(
  sql: SqlExecutor,
  viewer: { userId: string; profileId: string },
  limit: number,
): Promise<SessionSummary[]> {
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT * FROM sessions.sessions WHERE user_id = $1 AND coalesce(profile_id, 'default') = $2
     ORDER BY last_event_at DESC LIMIT $3`,
    [viewer.userId, viewer.profileId, limit],
  );
  return rows.map(sessionFromRow);
}
