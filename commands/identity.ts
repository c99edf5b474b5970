/**
 * The caller's identity as routes see it. One middleware (adapters/http/middleware/identity.ts)
 * resolves it per request, from the access token or, with AUTH_MODE=off, from the X-User-Id and
 * X-Profile-Id headers; routes read it only through these functions, never from headers or bodies.
 */
import type { Context } from "hono";
import { hasRole, type Identity } from "../domain/accounts/identity.ts";
import type { Role } from "../domain/accounts/values.ts";
import { UnauthenticatedError } from "../domain/shared/errors.ts";

export interface RequestAccess {
  /** false with AUTH_MODE=off: every route is open and identity is whatever the headers say. */
  enforced: boolean;
  identity?: Identity;
  /** Why a presented credential was refused (bad or expired token), for the 401. */
  refusal?: string;
}

declare module "hono" {
  interface ContextVariableMap {
    access: RequestAccess;
  }
}

/** The caller, or a 401 naming what to send. */
export function identityOf(c: Context): Identity {
  const access = c.get("access");
  if (access?.identity) return access.identity;
  throw new UnauthenticatedError(
    access?.refusal ??
      (access?.enforced
        ? "this route needs a signed-in user: send Authorization: Bearer <access token>"
        : "this route needs a user: send X-User-Id"),
  );
}

/** Whether the caller may act with `role`; always with AUTH_MODE=off. */
export function mayActAs(c: Context, role: Role): boolean {
  const access = c.get("access");
  if (!access?.enforced) return true;
  return access.identity !== undefined && hasRole(access.identity, role);
}

/** The caller when there is one (routes open to anonymous callers too). */
export function optionalIdentityOf(c: Context): Identity | undefined {
  return c.get("access")?.identity;
}

/** Who acts, as recorded in event metadata: the user id, or "anonymous". */
export function actorOf(c: Context): string {
  return optionalIdentityOf(c)?.userId ?? "anonymous";
}
