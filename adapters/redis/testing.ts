/**
 * For Redis integration tests: a client, and a key prefix of the test's own so runs and parallel
 * tests never meet, with every key under it deleted afterwards.
 */
import type { Redis } from "ioredis";
import { closeRedis, connectRedis } from "./client.ts";

/** Runs `use` with a connected client and a fresh prefix; then deletes the prefix's keys. */
export async function withRedisPrefix(
  url: string,
  use: (client: Redis, prefix: string) => Promise<void>,
): Promise<void> {
  const client = await connectRedis(url, { name: "test" });
  const prefix = `test:${crypto.randomUUID()}:`;
  try {
    await use(client, prefix);
  } finally {
    await deleteKeys(client, prefix);
    await closeRedis(client);
  }
}

/** Deletes every key starting with `prefix` (SCAN, so a large database is not blocked). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  // SCAN MATCH is a glob: escape its special characters in the prefix.
  const pattern = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
  for await (const keys of client.scanStream({ match: pattern, count: 1_000 })) {
    const batch = keys as string[];
    if (batch.length > 0) await client.unlink(...batch);
  }
}
