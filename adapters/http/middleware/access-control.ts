/**
 * Enforces the access policy (../access-policy.ts) before any route runs: a route with no policy
 * line answers 404 as an unknown route would; a route needing a user answers 401 to anonymous
 * callers and 403 to callers without the role. Installed only with auth on.
 */
import type { MiddlewareHandler } from "hono";
import { hasRole } from "../../../domain/accounts/identity.ts";
import { ForbiddenError } from "../../../domain/shared/errors.ts";
import { type Access, accessMatcher } from "../access-policy.ts";
import { identityOf } from "../../../commands/identity.ts";
import { ProblemError, titleOf } from "../problems.ts";

export function accessControl(
  accessOf: (method: string, path: string) => Access | undefined = accessMatcher(),
): MiddlewareHandler {
  return async function accessControl(c, next) {
    const access = accessOf(c.req.method, c.req.path);
    if (access === undefined) {
      throw new ProblemError({
        status: 404,
        title: titleOf(404),
        detail: `no route ${c.req.method} ${c.req.path}`,
      });
    }
    if (access !== "public" && access !== "signed") {
      const identity = identityOf(c); // 401 for anonymous callers and refused tokens
      if (access !== "viewer" && !hasRole(identity, access)) {
        throw new ForbiddenError(`this route needs the ${access} role; you are a ${identity.role}`);
      }
    }
    await next();
  };
}
