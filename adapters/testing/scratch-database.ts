/**
 * A database of its own on the PostgreSQL server, dropped afterwards: for tests whose projections
 * replay the whole event log, which other suites keep filling in the shared database.
 */
import { connectPostgres } from "../postgres/postgres-js-client.ts";

export async function withScratchDatabase<T>(
  serverUrl: string,
  use: (url: string) => Promise<T>,
  /** What CREATE DATABASE takes after the name: a template, a locale. */
  options = "",
): Promise<T> {
  const admin = connectPostgres({ url: serverUrl, max: 1 });
  const database = `scratch_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await admin.exec(`CREATE DATABASE ${database} ${options}`);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    return await use(url.href);
  } finally {
    await admin.exec(`DROP DATABASE ${database} WITH (FORCE)`);
    await admin.close();
  }
}
