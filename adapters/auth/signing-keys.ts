/**
 * Where access-token signing keys come from: AUTH_SIGNING_KEYS (`kid:secret,...`, the first signs,
 * all verify: rotate by putting a new key first and dropping the old one after the access token
 * lifetime), or, when unset, one key generated on first start and kept in the data directory, so
 * a single embedded service keeps its sessions across restarts. Processes that share users need
 * the same AUTH_SIGNING_KEYS.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseKidSecretList } from "../config/kid-secret-list.ts";
import type { SigningKey } from "./jwt-access-tokens.ts";

export function parseSigningKeys(text: string): SigningKey[] {
  return parseKidSecretList(text).map(({ kid, secret }) => ({
    kid,
    secret: new TextEncoder().encode(secret),
  }));
}

export async function storedSigningKey(dir: string): Promise<SigningKey[]> {
  const file = join(dir, "signing-key");
  try {
    return parseSigningKeys((await readFile(file, "utf8")).trim());
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
  const secret = [...crypto.getRandomValues(new Uint8Array(32))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  const line = `${new Date().toISOString().slice(0, 10)}:${secret}`;
  await mkdir(dir, { recursive: true });
  // "wx": two processes starting at once cannot both write; the loser reads the winner's key.
  try {
    await writeFile(file, line, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
    return parseSigningKeys((await readFile(file, "utf8")).trim());
  }
  return parseSigningKeys(line);
}
