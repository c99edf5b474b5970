/**
 * The watch history read model: one row per viewer (user and profile) and item with the last
 * position by event time, the item's duration, how far the viewer got, when playback last ended
 * and when they last watched. It reads the telemetry log only (heartbeats and the other playback
 * events with a position, and the position writes); titles and episode order come from the catalog
 * read model at query time, never from here.
 *
 * Percent, completed and the resume point are derived when reading (domain/watch-history), so the
 * resume rules are configuration, not part of the stored model.
 */
import { watchEntryOf } from "../../domain/watch-history/from-telemetry.ts";
import { mergeByKey } from "../../domain/watch-history/watch-entry.ts";
import type { TelemetryProjection } from "../runtime/projection.ts";
import { upsertEntries } from "./upsert.ts";

export const watchHistoryProjection: TelemetryProjection = {
  source: "telemetry",
  name: "watch_history",
  version: 1,
  tables: ["entries"],

  async setup(tx, schema) {
    await tx.exec(`
      CREATE TABLE ${schema}.entries (
        user_id text NOT NULL,
        profile_id text NOT NULL,
        content_id text NOT NULL,
        position_sec double precision,
        position_at timestamptz,
        session_id text,
        device_id text,
        duration_sec double precision,
        furthest_sec double precision,
        ended_at timestamptz,
        last_watched_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, profile_id, content_id)
      );
      CREATE INDEX ON ${schema}.entries (user_id, profile_id, last_watched_at DESC, content_id);
    `);
  },

  async apply(tx, schema, records) {
    const entries = mergeByKey(records.flatMap((record) => watchEntryOf(record.value) ?? []));
    await upsertEntries(tx, `${schema}.entries`, entries);
  },
};
