/**
 * Identity resolution, the one place it happens: sets c.var.access for every request.
 * With auth on, from `Authorization: Bearer <access token>` (or `?access_token=` on a WebSocket
 * upgrade, which browsers cannot give headers); X-User-Id and X-Profile-Id are ignored. With
 * AUTH_MODE=off, from those two headers (or `?user_id=&profile_id=` on a WebSocket upgrade), as an
 * admin, and nothing is enforced.
 */
import type { MiddlewareHandler } from "hono";
import type { Identity } from "../../../domain/accounts/identity.ts";
import { type AccessTokens, InvalidTokenError } from "../../../domain/ports/access-tokens.ts";
import type { EndedSessions } from "../../../domain/ports/ended-sessions.ts";
import { BackingServiceUnavailableError } from "../../../domain/ports/unavailable.ts";
import { parseInput } from "../../../domain/shared/validation.ts";
import { ViewerIds } from "../../../domain/watch-history/viewer.ts";
import type { RequestAccess } from "../../../commands/identity.ts";

export type AuthMode = { mode: "off" } | {
  mode: "on";
  tokens: AccessTokens;
  /** Sessions ended since their tokens were issued: those tokens are refused at once. */
  endedSessions?: EndedSessions;
};

export function identify(auth: AuthMode): MiddlewareHandler {
  return async function identify(c, next) {
    const access: RequestAccess = auth.mode === "on"
      ? await fromToken(auth, presentedToken(c.req.raw))
      : { enforced: false, identity: fromHeaders(...claimedIds(c.req.raw)) };
    c.set("access", access);
    await next();
  };
}

function presentedToken(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  const bearer = header && /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (bearer) return bearer;
  return isWebSocketUpgrade(request)
    ? queryOf(request).get("access_token") ?? undefined
    : undefined;
}

/** AUTH_MODE=off: the user and profile the request names for itself. */
function claimedIds(request: Request): [string | undefined, string | undefined] {
  const header = (name: string) => request.headers.get(name) ?? undefined;
  if (!isWebSocketUpgrade(request)) return [header("x-user-id"), header("x-profile-id")];
  const query = queryOf(request);
  return [
    header("x-user-id") ?? query.get("user_id") ?? undefined,
    header("x-profile-id") ?? query.get("profile_id") ?? undefined,
  ];
}

function isWebSocketUpgrade(request: Request): boolean {
  return request.headers.get("upgrade")?.toLowerCase() === "websocket";
}

function queryOf(request: Request): URLSearchParams {
  return new URL(request.url).searchParams;
}

async function fromToken(
  { tokens, endedSessions }: Extract<AuthMode, { mode: "on" }>,
  token: string | undefined,
): Promise<RequestAccess> {
  if (token === undefined) return { enforced: true };
  let identity: Identity;
  try {
    identity = await tokens.verify(token);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    return { enforced: true, refusal: `${error.message}: refresh it or sign in again` };
  }
  if (identity.sessionId && await hasEnded(endedSessions, identity.sessionId)) {
    return { enforced: true, refusal: "the session of this access token has ended: sign in again" };
  }
  return { enforced: true, identity };
}

/**
 * Whether the session ended. An outage of the list's store lets the token through: signing every
 * user out for it would be worse, and the token expires on its own within minutes.
 */
async function hasEnded(endedSessions: EndedSessions | undefined, sessionId: string) {
  if (!endedSessions) return false;
  try {
    return await endedSessions.has(sessionId);
  } catch (error) {
    if (error instanceof BackingServiceUnavailableError) return false;
    throw error;
  }
}

/** AUTH_MODE=off: the headers name the user (400 when malformed); no header, no identity. */
function fromHeaders(userId?: string, profileId?: string): Identity | undefined {
  if (!userId?.trim()) return undefined;
  const ids = parseInput(ViewerIds, { "X-User-Id": userId, "X-Profile-Id": profileId });
  return { userId: ids["X-User-Id"], profileId: ids["X-Profile-Id"], role: "admin" };
}
