/**
 * argon2id through @node-rs/argon2 (a Node-API addon: Deno needs FFI to its package only, see
 * deno.json). Parameters are OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
 */
import { hash, verify } from "@node-rs/argon2";
import type { PasswordHasher } from "../../domain/ports/password-hasher.ts";

export interface Argon2Options {
  memoryCost?: number;
  timeCost?: number;
}

export function argon2PasswordHasher(
  { memoryCost = 19_456, timeCost = 2 }: Argon2Options = {},
): PasswordHasher {
  return {
    // argon2id is the package's default algorithm (its enum is a const enum Deno cannot import);
    // the test checks the hash says so.
    hash: (password) => hash(password, { memoryCost, timeCost, parallelism: 1 }),
    async verify(stored, password) {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
  };
}
