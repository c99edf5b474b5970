/**
 * The access token port: short-lived signed tokens that carry the caller's identity, checked on
 * every request without a store lookup (JWT in production).
 */
import type { Identity } from "../accounts/identity.ts";

export interface IssuedToken {
  token: string;
  /** Seconds until it expires. */
  expires_in: number;
}

export interface AccessTokens {
  issue(identity: Identity): Promise<IssuedToken>;
  /** The identity a token carries; throws InvalidTokenError for any token it did not issue. */
  verify(token: string): Promise<Identity>;
}

/** Tampered, expired, unsigned, or signed with a key not (or no longer) trusted. */
export class InvalidTokenError extends Error {
  override readonly name = "InvalidTokenError";
}
