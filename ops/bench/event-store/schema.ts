/** The benchmark's tables: the event store's migrations plus the plain-INSERT baseline's table. */
import type { SqlClient } from "../../../domain/ports/sql.ts";
import { migrate } from "../../../adapters/postgres/migrate.ts";
import { migrations } from "../../../adapters/postgres/migrations/index.ts";

export const PLAIN_TABLE = "bench_plain_events";

/** The baseline's table: the events table's columns, defaults, identity, constraints and indexes. */
export async function prepareSchema(sql: SqlClient): Promise<void> {
  await migrate(sql, migrations);
  await sql.exec(`DROP TABLE IF EXISTS ${PLAIN_TABLE};
    CREATE TABLE ${PLAIN_TABLE} (LIKE events INCLUDING ALL)`);
}
