/**
 * Who opens a sync socket. Browsers cannot set headers on a WebSocket, so besides the
 * X-User-Id/X-Profile-Id headers of the other /v1/me routes the identity may come in the query
 * (`user_id`, `profile_id`) — on this route only. Token auth replaces this one function: the
 * access token then comes in the same place (header, or the query for browsers).
 */
import type { Context } from "hono";
import { viewerFrom } from "../../commands/positions/viewer.ts";
import type { Viewer } from "../../domain/watch-history/viewer.ts";

export function syncViewerOf(c: Context): Viewer {
  return viewerFrom(
    c.req.header("x-user-id") ?? c.req.query("user_id"),
    c.req.header("x-profile-id") ?? c.req.query("profile_id"),
  );
}
