import type { Migration } from "../migrate.ts";

/**
 * The embedded profile's telemetry log: a partitioned, append-only table with Kafka's shape
 * (partition, offset). Each partition's next offset lives in its own counter row rather than
 * being max("offset") + 1: retention deletes old rows, and offsets must never be handed out twice.
 *
 * The append function reserves offsets by updating the counter rows, whose row locks it holds until
 * commit, so appends to one partition commit in offset order and a reader never sees a later offset
 * before an earlier one. It locks counters in ascending partition order, so concurrent appends
 * cannot deadlock. The whole batch is one statement, one transaction.
 */
export const telemetryLog: Migration = {
  version: 3,
  name: "telemetry log",
  sql: `
    CREATE TABLE telemetry_log (
      partition integer NOT NULL,
      "offset" bigint NOT NULL,
      key text NOT NULL,
      value jsonb NOT NULL,
      logged_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (partition, "offset")
    );
    CREATE INDEX telemetry_log_logged_at ON telemetry_log (logged_at);

    CREATE TABLE telemetry_log_partitions (
      partition integer PRIMARY KEY,
      next_offset bigint NOT NULL
    );

    CREATE FUNCTION telemetry_log_append(p_partitions integer[], p_keys text[], p_values text[])
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      target record;
      first_offset bigint;
    BEGIN
      FOR target IN
        SELECT b.partition, count(*) AS records
        FROM unnest(p_partitions) AS b(partition)
        GROUP BY b.partition ORDER BY b.partition
      LOOP
        INSERT INTO telemetry_log_partitions AS c (partition, next_offset)
        VALUES (target.partition, target.records)
        ON CONFLICT (partition) DO UPDATE SET next_offset = c.next_offset + excluded.next_offset
        RETURNING c.next_offset - target.records INTO first_offset;

        INSERT INTO telemetry_log (partition, "offset", key, value)
        SELECT b.partition, first_offset + row_number() OVER (ORDER BY b.ord) - 1, b.key,
               b.value::jsonb
        FROM unnest(p_partitions, p_keys, p_values) WITH ORDINALITY AS b(partition, key, value, ord)
        WHERE b.partition = target.partition;
      END LOOP;
    END
    $$;
  `,
};
