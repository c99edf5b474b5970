/**
 * The viewer of a /v1/me request: the identity's user and profile (commands/identity.ts), from the
 * access token, or from X-User-Id and X-Profile-Id with AUTH_MODE=off.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Viewer } from "../../domain/watch-history/viewer.ts";
import { identityOf } from "../identity.ts";

/** The request's viewer: 401 without one. */
export function viewerOf(c: Context): Viewer {
  const { userId, profileId } = identityOf(c);
  return { userId, profileId };
}

/**
 * Refuses a request without a viewer before its input is validated, so an anonymous caller gets a
 * 401 whatever else is wrong. Put it first on each /v1/me route (not with `use("*")`: the sub-app
 * shares its mount path with others).
 */
export const requireViewer: MiddlewareHandler = async (c, next) => {
  viewerOf(c);
  await next();
};
