import type { Migration } from "../migrate.ts";

/**
 * The event log. `transaction_id` is the key to global order without loss: concurrent transactions
 * commit out of `global_position` order, so readers take only rows of transactions older than every
 * transaction still running (`pg_snapshot_xmin`), ordered by (transaction_id, global_position).
 */
export const eventStore: Migration = {
  version: 1,
  name: "event store",
  sql: `
    CREATE TABLE events (
      global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      stream_name text NOT NULL,
      stream_version bigint NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      schema_version integer NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL DEFAULT '{}',
      recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      CONSTRAINT events_stream_version_key UNIQUE (stream_name, stream_version),
      CONSTRAINT events_event_id_key UNIQUE (event_id)
    );
    CREATE INDEX events_commit_order ON events (transaction_id, global_position);
  `,
};
