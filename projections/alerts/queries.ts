/** Alerts from the live read model (the view alerts.alerts), newest first. */
import type { SqlExecutor } from "../../domain/ports/sql.ts";

export async function listAlerts(
  sql: SqlExecutor,
  filter: { status: "firing" | "resolved" | "all"; limit: number },
): Promise<Record<string, unknown>[]> {
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT alert_id, rule, metric, severity, scope_id, status, value, threshold, sample, message,
       window_start, window_end, raised_at, resolved_value, resolved_window_end, resolved_at
     FROM alerts.alerts WHERE $1 = 'all' OR status = $1
     ORDER BY raised_at DESC, alert_id LIMIT $2`,
    [filter.status, filter.limit],
  );
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        value instanceof Date ? value.toISOString() : value,
      ]),
    )
  );
}
