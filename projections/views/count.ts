/**
 * Counting views from telemetry, shared by the SQL aggregates (projection.ts) and the Redis boards
 * (boards.ts): each session is folded with the playback-session logic (domain/playback/session.ts)
 * and counted once, by a row keyed by its session id, when the view rule says it qualifies.
 */
import { becameViewAt, type ViewRule } from "../../domain/analytics/view-rule.ts";
import { foldSession, type SessionSummary } from "../../domain/playback/session.ts";
import type { CountedView } from "../../domain/ports/leaderboard.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import type { LoggedRecord } from "../../domain/ports/telemetry-log.ts";

/** Tables every view-counting projection has: sessions in progress, and the views counted. */
export const COUNTING_TABLES = ["sessions", "counted"] as const;

export async function setupCounting(tx: SqlExecutor, schema: string): Promise<void> {
  await tx.exec(`
    CREATE TABLE ${schema}.sessions (session_id text PRIMARY KEY, summary jsonb NOT NULL);
    CREATE TABLE ${schema}.counted (
      session_id text PRIMARY KEY,
      content_id text NOT NULL,
      viewed_at timestamptz NOT NULL
    );
    CREATE INDEX ON ${schema}.counted (viewed_at);
    CREATE INDEX ON ${schema}.counted (content_id, viewed_at);
  `);
}

/**
 * Retention: sessions in progress whose last event came before `cutoff` will not become views any
 * more. Counted sessions keep their rows: they are the minute-level views the queries read.
 */
export async function forgetStaleSessions(sql: SqlExecutor, schema: string, cutoff: Date) {
  await sql.query(
    `DELETE FROM ${schema}.sessions WHERE (summary->>'last_event_at')::timestamptz < $1`,
    [cutoff],
  );
}

/**
 * Folds the records into their sessions and returns the views counted for the first time by this
 * batch. A session in progress keeps its folded summary; once counted it has only its row in
 * `counted`, and its later, late or repeated records are skipped, so a replay counts nothing twice
 * and the progress table holds only sessions that have not become views (yet).
 */
export async function countViews(
  tx: SqlExecutor,
  schema: string,
  records: readonly LoggedRecord[],
  rule: ViewRule,
): Promise<CountedView[]> {
  const ids = [...new Set(records.map((r) => r.value.session_id))]
    .filter((id): id is string => typeof id === "string");
  if (ids.length === 0) return [];
  const { sessions, counted } = await loadProgress(tx, schema, ids);
  const changed = new Set<string>();
  const views: CountedView[] = [];
  for (const { value, partition, offset } of records) {
    const id = value.session_id as string;
    if (counted.has(id)) continue;
    const before = sessions.get(id);
    const after = foldSession(before, value);
    if (!after) continue;
    sessions.set(id, after);
    changed.add(id);
    const viewedAt = becameViewAt(before, after, String(value.timestamp), rule);
    if (!viewedAt) continue;
    counted.add(id);
    views.push({
      session_id: id,
      content_id: after.content_id,
      viewed_at: viewedAt,
      partition,
      offset,
    });
  }
  const inProgress = [...changed].filter((id) => !counted.has(id));
  if (inProgress.length > 0 || views.length > 0) {
    // One round trip: sessions still in progress keep their summary; counted ones leave the
    // progress table for their row in `counted` (the two sets of sessions are disjoint).
    await tx.query(
      `WITH progress AS (
         INSERT INTO ${schema}.sessions SELECT key, value::jsonb FROM json_each($1::text::json)
         ON CONFLICT (session_id) DO UPDATE SET summary = excluded.summary
       ), views AS (
         SELECT * FROM json_to_recordset($2::text::json)
         AS v(session_id text, content_id text, viewed_at timestamptz)
       ), counted AS (
         INSERT INTO ${schema}.counted SELECT session_id, content_id, viewed_at FROM views
       )
       DELETE FROM ${schema}.sessions WHERE session_id IN (SELECT session_id FROM views)`,
      [
        JSON.stringify(Object.fromEntries(inProgress.map((id) => [id, sessions.get(id)]))),
        JSON.stringify(views),
      ],
    );
  }
  return views;
}

/** The summaries of the sessions in progress among `ids`, and which of them are counted already. */
async function loadProgress(tx: SqlExecutor, schema: string, ids: string[]) {
  const rows = await tx.query<{ session_id: string; summary: SessionSummary | null }>(
    `SELECT session_id, summary FROM ${schema}.sessions WHERE session_id = ANY($1::text[])
     UNION ALL
     SELECT session_id, NULL FROM ${schema}.counted WHERE session_id = ANY($1::text[])`,
    [ids],
  );
  const sessions = new Map<string, SessionSummary>();
  const counted = new Set<string>();
  for (const { session_id, summary } of rows) {
    if (summary) sessions.set(session_id, summary);
    else counted.add(session_id);
  }
  return { sessions, counted };
}
