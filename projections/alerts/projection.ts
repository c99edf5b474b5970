/**
 * Alerts: one row per raised alert, resolved in place. An alert stream alternates raised and
 * resolved, so a resolution (stream version n) closes the row raised at version n - 1; replays
 * insert nothing new and resolve the same row the same way.
 */
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { EventProjection } from "../runtime/projection.ts";
import { ALERT_EVENT_TYPES } from "../../domain/alerts/alert-events.ts";

export const alertsProjection: EventProjection = {
  source: "events",
  name: "alerts",
  version: 1,
  tables: ["alerts"],
  eventTypes: ALERT_EVENT_TYPES,

  async setup(tx, schema) {
    await tx.exec(`
      CREATE TABLE ${schema}.alerts (
        alert_id text PRIMARY KEY,
        stream_name text NOT NULL,
        raised_version integer NOT NULL,
        rule text NOT NULL,
        metric text NOT NULL,
        severity text NOT NULL,
        scope_id text NOT NULL,
        status text NOT NULL,
        value double precision NOT NULL,
        threshold double precision NOT NULL,
        sample double precision NOT NULL,
        message text NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        raised_at timestamptz NOT NULL,
        resolved_value double precision,
        resolved_window_end timestamptz,
        resolved_at timestamptz,
        UNIQUE (stream_name, raised_version)
      );
      CREATE INDEX ON ${schema}.alerts (status, raised_at DESC);
    `);
  },

  async apply(tx, schema, events) {
    for (const event of events) {
      const data = event.data as Record<string, string | number>;
      if (event.type === "AlertRaised") await raise(tx, schema, event, data);
      else {
        await tx.query(
          `UPDATE ${schema}.alerts SET status = 'resolved', resolved_value = $3,
             resolved_window_end = $4, resolved_at = $5
           WHERE stream_name = $1 AND raised_version = $2`,
          [
            event.stream_name,
            event.stream_version - 1,
            data.value,
            data.window_end,
            event.recorded_at,
          ],
        );
      }
    }
  },
};

function raise(
  tx: Parameters<EventProjection["apply"]>[0],
  schema: string,
  event: RecordedEvent,
  data: Record<string, string | number>,
) {
  return tx.query(
    `INSERT INTO ${schema}.alerts (alert_id, stream_name, raised_version, rule, metric, severity,
       scope_id, status, value, threshold, sample, message, window_start, window_end, raised_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'firing', $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT DO NOTHING`,
    [
      event.event_id,
      event.stream_name,
      event.stream_version,
      data.rule,
      data.metric,
      data.severity,
      data.scope_id,
      data.value,
      data.threshold,
      data.sample,
      data.message,
      data.window_start,
      data.window_end,
      event.recorded_at,
    ],
  );
}
