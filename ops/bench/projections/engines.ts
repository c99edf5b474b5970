/**
 * The databases the cases run on: the event store benchmark's engines (a temporary PGlite data
 * directory; a scratch database on the server), each migrated and with its own store.
 */
import type { Engine } from "../event-store/engine.ts";
import { openPgliteEngine } from "../event-store/pglite-engine.ts";
import { openServerEngine } from "../event-store/server-engine.ts";

export type { Engine };
export { openPgliteEngine };

/**
 * The server engine, on a scratch database only: the catalog cases start and rebuild the catalog
 * projection, which in the database of POSTGRES_URL itself would replace its live read model.
 */
export async function openScratchServerEngine(url: string, connections: number): Promise<Engine> {
  const engine = await openServerEngine(url, connections);
  const [row] = await engine.sql.query<{ name: string }>("SELECT current_database() AS name");
  if (row?.name === decodeURIComponent(new URL(url).pathname.slice(1))) {
    await engine.dispose();
    throw new Error(
      "cannot create a scratch database, and the benchmark does not run its projections in the " +
        "database of POSTGRES_URL itself (grant CREATEDB to its role)",
    );
  }
  return engine;
}
