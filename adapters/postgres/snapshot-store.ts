/** Aggregate snapshots in a PostgreSQL or PGlite table (migration 007), one row per stream. */
import type { Snapshot, SnapshotStore } from "../../domain/ports/snapshots.ts";
import type { SqlClient } from "../../domain/ports/sql.ts";

export class SqlSnapshotStore implements SnapshotStore {
  constructor(private readonly sql: SqlClient) {}

  async load(stream: string, schema: number): Promise<Snapshot | undefined> {
    const [snapshot] = await this.sql.query<Snapshot>(
      "SELECT version, event_id, state FROM aggregate_snapshots WHERE stream = $1 AND schema = $2",
      [stream, schema],
    );
    return snapshot;
  }

  async save(stream: string, schema: number, snapshot: Snapshot): Promise<void> {
    // A snapshot under another schema is of no use to anyone any more: replaced whatever its version.
    await this.sql.query(
      `INSERT INTO aggregate_snapshots AS stored (stream, schema, version, event_id, state)
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (stream) DO UPDATE
          SET schema = excluded.schema, version = excluded.version, event_id = excluded.event_id,
              state = excluded.state, saved_at = now()
        WHERE stored.schema <> excluded.schema OR stored.version < excluded.version`,
      [stream, schema, snapshot.version, snapshot.event_id, snapshot.state],
    );
  }
}
