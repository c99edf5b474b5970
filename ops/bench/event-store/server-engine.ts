/** The PostgreSQL server engine: a scratch database on the server that POSTGRES_URL names. */
import type { SqlClient } from "../../../domain/ports/sql.ts";
import { PostgresEventStore } from "../../../adapters/postgres/event-store.ts";
import { connectPostgres } from "../../../adapters/postgres/postgres-js-client.ts";
import { READ_MODEL_APPLICATION } from "../../../adapters/postgres/sessions-without-events.ts";
import { redactUrl } from "../lib/machine.ts";
import { type Engine, openEngine, serverVersion } from "./engine.ts";
import { createScratchDatabase } from "./scratch-database.ts";

/** The read models' pool: as many connections as main.ts opens by default (POSTGRES_POOL_SIZE). */
const READ_MODEL_CONNECTIONS = 10;

export async function openServerEngine(url: string, concurrency: number): Promise<Engine> {
  const scratch = await createScratchDatabase(url);
  const sql = connectPostgres({ url: scratch.url, max: concurrency + 2 });
  const readModels = connectPostgres({
    url: scratch.url,
    max: READ_MODEL_CONNECTIONS,
    applicationName: READ_MODEL_APPLICATION,
  });
  return openEngine(sql, {
    kind: "postgres",
    label: "PostgreSQL",
    concurrency,
    describe: async () => [
      `PostgreSQL server: ${await serverVersion(sql)}`,
      `PostgreSQL settings: ${await serverSettings(sql)}`,
      `PostgreSQL database: ${scratch.description} on ${redactUrl(url)}`,
    ],
    openSecondStore: async () => {
      const other = connectPostgres({ url: scratch.url, max: 2 });
      const otherStore = await PostgresEventStore.open(other);
      return { store: otherStore, close: () => otherStore.close().then(() => other.close()) };
    },
    readModels,
    release: async () => {
      await readModels.close();
      await sql.close();
      await scratch.drop();
    },
  });
}

async function serverSettings(sql: SqlClient): Promise<string> {
  const rows = await sql.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM pg_settings
     WHERE name IN ('synchronous_commit', 'fsync', 'shared_buffers', 'max_connections')
     ORDER BY name`,
  );
  return rows.map((row) => `${row.name}=${row.setting}`).join(", ");
}
