/** Session rows as the fold and the API see them: times as ISO text. */
import type { SessionSummary } from "../../domain/playback/session.ts";

export function sessionFromRow(row: Record<string, unknown>): SessionSummary {
  const entries = Object.entries(row).map((
    [key, value],
  ) => [key, value instanceof Date ? value.toISOString() : value]);
  return Object.fromEntries(entries) as unknown as SessionSummary;
}
