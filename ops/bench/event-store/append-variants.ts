/** The two ways to make a planned append: through the store, or the plain-INSERT baseline. */
import type { SqlClient } from "../../../domain/ports/sql.ts";
import type { PostgresEventStore } from "../../../adapters/postgres/event-store.ts";
import { PLAIN_TABLE } from "./schema.ts";
import type { AppendOne } from "./workload.ts";

export function appendThroughStore(store: PostgresEventStore): AppendOne {
  return async ({ stream, version, events }) => {
    const result = await store.appendToStream(stream, events, { expected_version: version });
    if (result.next_expected_version !== version + events.length) {
      throw new Error(`append to ${stream} ended at version ${result.next_expected_version}`);
    }
  };
}

const PLAIN_INSERT = `
  INSERT INTO ${PLAIN_TABLE} (stream_name, stream_version, event_id, event_type, schema_version, data, metadata)
  SELECT $1, e.stream_version, e.event_id, e.event_type, e.schema_version, e.data::json, e.metadata::json
  FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::text[])
    AS e(stream_version, event_id, event_type, schema_version, data, metadata)`;

/** The baseline: the same rows, one INSERT per batch, versions computed by the caller. */
export function appendThroughPlainInsert(sql: SqlClient): AppendOne {
  return async ({ stream, version, events }) => {
    await sql.query(PLAIN_INSERT, [
      stream,
      events.map((_, index) => version + index + 1),
      events.map((event) => event.event_id),
      events.map((event) => event.type),
      events.map((event) => event.schema_version),
      events.map((event) => JSON.stringify(event.data)),
      events.map((event) => JSON.stringify(event.metadata ?? {})),
    ]);
  };
}
