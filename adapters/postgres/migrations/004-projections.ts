import type { Migration } from "../migrate.ts";

/**
 * Book-keeping of the projection runtime. A projection's read model lives in one schema per
 * generation (`<name>_g<n>`); views in the schema `<name>` point at the live generation, so a
 * rebuild writes beside it and the switch is one transaction. The checkpoint of a generation is
 * updated in the same transaction as its read-model writes.
 */
export const projections: Migration = {
  version: 4,
  name: "projections",
  sql: `
    CREATE TABLE projection_generations (
      projection text NOT NULL,
      generation integer NOT NULL,
      version integer NOT NULL,
      status text NOT NULL CHECK (status IN ('building', 'live', 'retired')),
      position text,
      global_position bigint NOT NULL DEFAULT 0,
      events_applied bigint NOT NULL DEFAULT 0,
      last_event_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (projection, generation)
    );
    CREATE UNIQUE INDEX projection_generations_one_live
      ON projection_generations (projection) WHERE status = 'live';

    CREATE TABLE projection_dead_letters (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      projection text NOT NULL,
      generation integer NOT NULL,
      event jsonb NOT NULL,
      error text NOT NULL,
      parked_at timestamptz NOT NULL DEFAULT now(),
      retried_at timestamptz
    );
    CREATE INDEX projection_dead_letters_open
      ON projection_dead_letters (projection, id) WHERE retried_at IS NULL;
  `,
};
