/**
 * The viewer of a /v1/me request. With AUTH_MODE=off (development and tests) identity comes from
 * the X-User-Id and X-Profile-Id headers; an auth layer that reads access tokens is to supply the
 * same two values, so the routes do not change when it arrives.
 */
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { parseInput } from "../../domain/shared/validation.ts";
import { type Viewer, ViewerIds } from "../../domain/watch-history/viewer.ts";

/** The request's viewer: 401 without a user, 400 for a malformed id. */
export function viewerOf(c: Context): Viewer {
  return viewerFrom(c.req.header("x-user-id"), c.req.header("x-profile-id"));
}

/** The viewer of these ids, wherever the request carried them: 401 without a user, 400 if malformed. */
export function viewerFrom(userId: string | undefined, profileId: string | undefined): Viewer {
  if (!userId?.trim()) {
    // HTTPException below 500 is answered as a problem with its status (adapters/http/problems.ts),
    // as Hono's own auth middleware does.
    throw new HTTPException(401, { message: "this route needs a user: send X-User-Id" });
  }
  const ids = parseInput(ViewerIds, { "X-User-Id": userId, "X-Profile-Id": profileId });
  return { userId: ids["X-User-Id"], profileId: ids["X-Profile-Id"] };
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
