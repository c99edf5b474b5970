import type { Migration } from "../migrate.ts";

/**
 * Several appends in one statement, hence one transaction: the event store's group commit
 * (decision 0018). Append i is p_streams[i] with its expectation ('any', 'no_stream',
 * 'stream_exists' or 'exact' with p_expected_versions[i]); event j belongs to append
 * p_appends[j]. A group names each stream once (the caller sees to it), so every append is checked
 * against its stream's stored version and the events of the appends that pass go in with one
 * INSERT. One row comes back per append, in order, as append_to_stream (migration 002) returns it:
 * appended_version is null when the check failed.
 */
export const appendManyFunction: Migration = {
  version: 6,
  name: "append many function",
  sql: `
    CREATE FUNCTION append_to_streams(
      p_streams text[],
      p_expected text[],
      p_expected_versions bigint[],
      p_appends integer[],
      p_event_ids uuid[],
      p_types text[],
      p_schema_versions integer[],
      p_data text[],
      p_metadata text[]
    ) RETURNS TABLE (
      previous_version bigint,
      appended_version bigint,
      last_global_position bigint,
      last_transaction_id text
    ) LANGUAGE plpgsql AS $$
    BEGIN
      RETURN QUERY
      WITH checked AS (
        SELECT a.ord, a.stream, v.version,
               (a.expected = 'any'
                OR (a.expected = 'no_stream' AND v.version = 0)
                OR (a.expected = 'stream_exists' AND v.version > 0)
                OR (a.expected = 'exact' AND v.version = a.expected_version)) AS passed
        FROM unnest(p_streams, p_expected, p_expected_versions)
          WITH ORDINALITY AS a(stream, expected, expected_version, ord)
        CROSS JOIN LATERAL (
          SELECT coalesce(max(e.stream_version), 0) AS version
          FROM events e WHERE e.stream_name = a.stream
        ) v
      ), numbered AS (
        SELECT b.*, row_number() OVER (PARTITION BY b.append ORDER BY b.ord) AS in_append
        FROM unnest(p_appends, p_event_ids, p_types, p_schema_versions, p_data, p_metadata)
          WITH ORDINALITY AS b(append, event_id, event_type, schema_version, data, metadata, ord)
      ), appended AS (
        INSERT INTO events (stream_name, stream_version, event_id, event_type, schema_version, data, metadata)
        SELECT c.stream, c.version + n.in_append, n.event_id, n.event_type, n.schema_version,
               n.data::jsonb, n.metadata::jsonb
        FROM numbered n JOIN checked c ON c.ord = n.append
        WHERE c.passed
        ORDER BY n.ord
        RETURNING events.stream_name, events.stream_version, events.global_position,
                  events.transaction_id
      )
      SELECT c.version, max(a.stream_version), max(a.global_position), min(a.transaction_id::text)
      FROM checked c LEFT JOIN appended a ON a.stream_name = c.stream
      GROUP BY c.ord, c.version
      ORDER BY c.ord;
    END
    $$;
  `,
};
