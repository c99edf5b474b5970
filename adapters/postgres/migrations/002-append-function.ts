import type { Migration } from "../migrate.ts";

/**
 * The append as a function: PL/pgSQL caches the plans of its statements per connection, where the
 * same statement sent from the client is planned on every call (planning cost more than the
 * insert itself; see docs/benchmarks.md). Reads the stream's version, checks the expectation
 * ('any', 'no_stream', 'stream_exists' or 'exact' with p_expected_version) and inserts the batch
 * behind it. When the check fails nothing is inserted and appended_version is null.
 */
export const appendFunction: Migration = {
  version: 2,
  name: "append function",
  sql: `
    CREATE FUNCTION append_to_stream(
      p_stream text,
      p_event_ids uuid[],
      p_types text[],
      p_schema_versions integer[],
      p_data text[],
      p_metadata text[],
      p_expected text,
      p_expected_version bigint
    ) RETURNS TABLE (
      previous_version bigint,
      appended_version bigint,
      last_global_position bigint,
      last_transaction_id text
    ) LANGUAGE plpgsql AS $$
    DECLARE
      current_version bigint;
    BEGIN
      SELECT coalesce(max(e.stream_version), 0) INTO current_version
      FROM events e WHERE e.stream_name = p_stream;

      IF NOT (p_expected = 'any'
          OR (p_expected = 'no_stream' AND current_version = 0)
          OR (p_expected = 'stream_exists' AND current_version > 0)
          OR (p_expected = 'exact' AND current_version = p_expected_version)) THEN
        RETURN QUERY SELECT current_version, NULL::bigint, NULL::bigint, NULL::text;
        RETURN;
      END IF;

      RETURN QUERY
      WITH appended AS (
        INSERT INTO events (stream_name, stream_version, event_id, event_type, schema_version, data, metadata)
        SELECT p_stream, current_version + b.ord, b.event_id, b.event_type, b.schema_version,
               b.data::jsonb, b.metadata::jsonb
        FROM unnest(p_event_ids, p_types, p_schema_versions, p_data, p_metadata)
          WITH ORDINALITY AS b(event_id, event_type, schema_version, data, metadata, ord)
        RETURNING events.stream_version, events.global_position, events.transaction_id
      )
      SELECT current_version, max(a.stream_version), max(a.global_position),
             min(a.transaction_id::text)
      FROM appended a;
    END
    $$;
  `,
};
