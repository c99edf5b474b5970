/**
 * Who is calling: the account (user id), the profile watching, and the account's role. With auth
 * on it comes from the access token only; with AUTH_MODE=off from the X-User-Id and X-Profile-Id
 * headers (development and tests).
 */
import type { Role } from "./values.ts";

export interface Identity {
  userId: string;
  profileId: string;
  role: Role;
  /** The sign-in session (refresh token family) the token was issued for; none with auth off. */
  sessionId?: string;
}

/** Roles in order of power: each may do what the ones before it may. */
const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function hasRole(identity: Identity, needed: Role): boolean {
  return RANK[identity.role] >= RANK[needed];
}
