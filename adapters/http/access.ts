/**
 * Access for the whole service: identity resolution (always), the access policy (auth on), rate
 * limits on every write, and the account routes (auth on). service-app.ts wires it in.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { accountRoutes, authRoutes, profileRoutes } from "../../commands/accounts/routes.ts";
import { loginThrottle } from "../../commands/accounts/login-throttle.ts";
import type { SignInDeps } from "../../commands/accounts/sign-in.ts";
import { optionalIdentityOf } from "../../commands/identity.ts";
import type { AccessTokens } from "../../domain/ports/access-tokens.ts";
import type { EndedSessions } from "../../domain/ports/ended-sessions.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import type { PasswordHasher } from "../../domain/ports/password-hasher.ts";
import type { RateLimiter } from "../../domain/ports/rate-limiter.ts";
import type { SnapshotStore } from "../../domain/ports/snapshots.ts";
import type { Feature } from "./app.ts";
import { clientAddress } from "./client-address.ts";
import { accessControl } from "./middleware/access-control.ts";
import { identify } from "./middleware/identity.ts";
import { rateLimit, rateLimits } from "./middleware/rate-limit.ts";

export type ServiceAuth = { mode: "off" } | {
  mode: "on";
  tokens: AccessTokens;
  hasher: PasswordHasher;
  /** Devices signed in at once per account. */
  maxDevices: number;
  refreshTtlSec: number;
  /** Login attempts per account (built with LOGIN_LIMITS); none: not throttled. */
  loginPerAccount?: RateLimiter;
  /** Sessions ended while their access tokens live (logout, password change): tokens refused. */
  endedSessions?: EndedSessions;
  /** Sign-in attempts per client address (built with LOGIN_ADDRESS_LIMITS). */
  loginPerAddress?: RateLimiter;
  trustProxy?: boolean;
};

/** Token buckets every write (POST, PUT, PATCH, DELETE) draws from. */
export interface WriteLimits {
  perUser: RateLimiter;
  perAddress: RateLimiter;
}

const READS = new Set(["GET", "HEAD", "OPTIONS"]);
const isWrite = (c: Context) => !READS.has(c.req.method);

/** The middleware every request passes before its route, in order. */
export function accessGuards(
  auth: ServiceAuth,
  { writeLimits, trustProxy = false }: { writeLimits?: WriteLimits; trustProxy?: boolean },
): MiddlewareHandler[] {
  const guards = [identify(auth)];
  if (auth.mode === "on") guards.push(accessControl());
  if (writeLimits) {
    guards.push(rateLimits([
      {
        limiter: writeLimits.perAddress,
        keyOf: (c) => isWrite(c) ? clientAddress(c, trustProxy) : undefined,
        scope: "from this address",
      },
      {
        limiter: writeLimits.perUser,
        keyOf: (c) => isWrite(c) ? optionalIdentityOf(c)?.userId : undefined,
        scope: "for this user",
      },
    ]));
  }
  return guards;
}

/** Sign-in, account and profile routes; none with AUTH_MODE=off (identity comes from headers). */
export function accountFeatures(
  auth: ServiceAuth,
  commands: { store: EventStore; retries: number; snapshots?: SnapshotStore },
): Feature[] {
  if (auth.mode === "off") return [];
  const deps: SignInDeps = {
    ...commands,
    hasher: auth.hasher,
    tokens: auth.tokens,
    maxDevices: auth.maxDevices,
    refreshTtlSec: auth.refreshTtlSec,
    throttle: auth.loginPerAccount && loginThrottle(auth.loginPerAccount),
    endedSessions: auth.endedSessions,
  };
  const signInRoutes = new Hono();
  if (auth.loginPerAddress) {
    const perAddress = rateLimit({
      limiter: auth.loginPerAddress,
      keyOf: (c) => clientAddress(c, auth.trustProxy ?? false),
      scope: "signing in from this address",
    });
    signInRoutes.post("/login", perAddress).post("/register", perAddress);
  }
  return [
    { path: "/auth", app: signInRoutes.route("/", authRoutes(deps)) },
    { path: "/accounts", app: accountRoutes(deps) },
    { path: "/me", app: profileRoutes(deps) },
  ];
}
