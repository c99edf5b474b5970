/** The PGlite engine: a temporary data directory on disk, removed at the end. */
import { openPglite } from "../../../adapters/postgres/pglite-client.ts";
import { type Engine, openEngine, serverVersion } from "./engine.ts";

export async function openPgliteEngine(): Promise<Engine> {
  const dataDir = await Deno.makeTempDir({ prefix: "bench-pglite-" });
  const sql = await openPglite(dataDir).catch(async (error) => {
    await Deno.remove(dataDir, { recursive: true });
    throw error;
  });
  return openEngine(sql, {
    kind: "pglite",
    label: "PGlite",
    concurrency: 1,
    describe:
      async () => [`PGlite: ${await serverVersion(sql)}, data directory on disk (${dataDir})`],
    release: async () => {
      await sql.close();
      await Deno.remove(dataDir, { recursive: true });
    },
  });
}
