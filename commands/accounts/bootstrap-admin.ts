/**
 * The embedded default is safe: there is no default password. On the first start (no account for
 * ADMIN_EMAIL yet) an admin is registered with a random one-time setup password, which the caller
 * prints once; the admin signs in with it and changes it (POST /v1/auth/password).
 */
import type { EventStore } from "../../domain/ports/event-store.ts";
import type { PasswordHasher } from "../../domain/ports/password-hasher.ts";
import { ConflictError } from "../../domain/shared/errors.ts";
import { handleCommand, loadAggregate } from "../handle-command.ts";
import { accounts } from "./aggregate.ts";
import { accountIdOf, randomSecret } from "./credentials.ts";

/** The setup password when this call created the admin; undefined when one existed already. */
export async function ensureAdmin(
  deps: { store: EventStore; hasher: PasswordHasher },
  email: string,
): Promise<string | undefined> {
  const account_id = await accountIdOf(email);
  if ((await loadAggregate(deps.store, accounts, account_id)).state.registered) return undefined;
  const secret = randomSecret();
  const password_hash = await deps.hasher.hash(secret);
  try {
    await handleCommand(deps.store, accounts, account_id, {
      type: "Register",
      data: { account_id, email, role: "admin", password_hash },
    }, { metadata: { actor: "first-start" } });
  } catch (error) {
    // Another process started at the same moment and created it: its secret is the one printed.
    if (error instanceof ConflictError) return undefined;
    throw error;
  }
  return secret;
}
