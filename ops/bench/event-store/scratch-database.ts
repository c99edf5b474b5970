/** A throwaway database beside the one POSTGRES_URL names, dropped when the run ends. */
import { connectPostgres } from "../../../adapters/postgres/postgres-js-client.ts";
import { progress } from "../lib/progress.ts";
import { PLAIN_TABLE } from "./schema.ts";

export interface ScratchDatabase {
  url: string;
  description: string;
  drop(): Promise<void>;
}

/** A fresh database next to the one in `url`, or that one itself when creating is not allowed. */
export async function createScratchDatabase(url: string): Promise<ScratchDatabase> {
  const admin = connectPostgres({ url, max: 1 });
  const name = `bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  try {
    await admin.exec(`CREATE DATABASE ${name}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    progress(`cannot create a scratch database (${reason}); using the database of POSTGRES_URL`);
    return {
      url,
      description: `the database of POSTGRES_URL itself (CREATE DATABASE failed: ${reason}); ` +
        "this run's events stay in its events table, in streams named bench-*",
      drop: async () => {
        await admin.exec(`DROP TABLE IF EXISTS ${PLAIN_TABLE}`);
        await admin.close();
      },
    };
  }
  return {
    url: withDatabase(url, name),
    description: `scratch database ${name} (dropped afterwards)`,
    drop: async () => {
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.href;
}
