/**
 * Versioned schema migrations. Each runs once, in its own transaction, in version order; an
 * advisory lock keeps two processes starting together from running the same migration twice.
 */
import type { SqlClient } from "../../domain/ports/sql.ts";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Any fixed 64-bit key: it only has to differ from other advisory locks in the same database.
const MIGRATION_LOCK = 7_400_262_001;

export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[],
): Promise<number[]> {
  assertOrdered(migrations);
  return await client.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: number }>("SELECT version FROM schema_migrations");
    const applied = new Set(rows.map((row) => row.version));
    const pending = migrations.filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
    }
    return pending.map((m) => m.version);
  });
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (previous && previous.version >= migration.version) {
      throw new Error(`migration ${migration.version} (${migration.name}) is out of order`);
    }
  });
}
