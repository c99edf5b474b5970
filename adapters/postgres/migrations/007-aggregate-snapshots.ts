import type { Migration } from "../migrate.ts";

/** One snapshot per stream: its newest (decision 0044). */
export const aggregateSnapshots: Migration = {
  version: 7,
  name: "aggregate snapshots",
  sql: `
    CREATE TABLE aggregate_snapshots (
      stream text PRIMARY KEY,
      schema integer NOT NULL,
      version bigint NOT NULL,
      event_id text NOT NULL,
      state jsonb NOT NULL,
      saved_at timestamptz NOT NULL DEFAULT now()
    );
  `,
};
