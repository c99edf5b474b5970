/** What the cases run against: an event store and its SQL client on one prepared database. */
import type { SqlClient } from "../../../domain/ports/sql.ts";
import { PostgresEventStore } from "../../../adapters/postgres/event-store.ts";
import type { EngineName } from "./options.ts";
import { prepareSchema } from "./schema.ts";

export interface Engine {
  kind: EngineName;
  label: string;
  sql: SqlClient;
  store: PostgresEventStore;
  /**
   * The read models' client, as main.ts opens it: `sql` itself on PGlite, on a server a pool of its
   * own whose transactions readers of the log need not wait for (sessions-without-events.ts).
   */
  readModels: SqlClient;
  /** Appenders used for the throughput cases. */
  concurrency: number;
  /** Lines for the machine description (version, settings, where the data lives). */
  describe(): Promise<string[]>;
  /** A second client and store on the same database, as another process would have. */
  openSecondStore?(): Promise<{ store: PostgresEventStore; close(): Promise<void> }>;
  dispose(): Promise<void>;
}

/** An engine's own parts; `release` closes `sql` and frees the database behind it. */
export type EngineParts = Omit<Engine, "sql" | "store" | "readModels" | "dispose"> & {
  readModels?: SqlClient;
  release(): Promise<void>;
};

/** Migrates `sql`, adds the baseline's table and opens the store; releases all if that fails. */
export async function openEngine(
  sql: SqlClient,
  { release, readModels = sql, ...parts }: EngineParts,
): Promise<Engine> {
  try {
    await prepareSchema(sql);
    const store = await PostgresEventStore.open(sql);
    return {
      ...parts,
      sql,
      store,
      readModels,
      dispose: async () => {
        await store.close();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

export async function serverVersion(sql: SqlClient): Promise<string> {
  const [row] = await sql.query<{ version: string }>("SELECT version()");
  return row?.version ?? "unknown";
}
