/**
 * Test helpers for a service with auth on: real argon2id (cheaper parameters) and JWTs, an admin
 * created the way the first start does, and accounts of each role signed in.
 */
import assert from "node:assert/strict";
import { ensureAdmin } from "../../commands/accounts/bootstrap-admin.ts";
import type { Role } from "../../domain/accounts/values.ts";
import type { RateLimiter } from "../../domain/ports/rate-limiter.ts";
import { argon2PasswordHasher } from "../auth/argon2-password-hasher.ts";
import { MemoryEndedSessions } from "../memory/ended-sessions.ts";
import { jwtAccessTokens, type SigningKey } from "../auth/jwt-access-tokens.ts";
import type { ServiceAuth } from "../http/access.ts";
import type { TestService } from "./service.ts";

export const TEST_SIGNING_KEY: SigningKey = {
  kid: "test",
  secret: new TextEncoder().encode("a test signing secret of 32+ characters"),
};

export function authOn(
  options: { maxDevices?: number; loginPerAccount?: RateLimiter; accessTtlSec?: number } = {},
): Extract<ServiceAuth, { mode: "on" }> {
  return {
    mode: "on",
    tokens: jwtAccessTokens({ keys: [TEST_SIGNING_KEY], ttlSec: options.accessTtlSec ?? 300 }),
    endedSessions: new MemoryEndedSessions((options.accessTtlSec ?? 300) * 1000),
    hasher: argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 }),
    maxDevices: options.maxDevices ?? 3,
    refreshTtlSec: 3600,
    loginPerAccount: options.loginPerAccount,
  };
}

export interface SignedInUser {
  email: string;
  password: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
  /** Authorization header of this user's access token. */
  headers: Record<string, string>;
}

const PASSWORD = "a long enough password";

export async function logIn(
  api: TestService,
  email: string,
  password: string,
  deviceId = "test-device",
): Promise<SignedInUser> {
  const answer = await api.call("POST", "/v1/auth/login", { email, password, device_id: deviceId });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const accessToken = answer.body.access_token as string;
  return {
    email,
    password,
    userId: answer.body.user_id as string,
    accessToken,
    refreshToken: answer.body.refresh_token as string,
    headers: { authorization: `Bearer ${accessToken}` },
  };
}

/** An admin made as the first start makes it, signed in. */
export async function signedInAdmin(
  api: TestService,
  auth: Extract<ServiceAuth, { mode: "on" }>,
): Promise<SignedInUser> {
  const email = `admin-${crypto.randomUUID()}@example.com`;
  const secret = await ensureAdmin({ store: api.store, hasher: auth.hasher }, email);
  assert.ok(secret);
  return await logIn(api, email, secret);
}

/** A new account with the role (created by the admin), signed in. */
export async function signedInAs(
  api: TestService,
  admin: SignedInUser,
  role: Role,
): Promise<SignedInUser> {
  const email = `${role}-${crypto.randomUUID()}@example.com`;
  const created = await api.call(
    "POST",
    "/v1/accounts",
    { email, password: PASSWORD, role },
    admin.headers,
  );
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return await logIn(api, email, PASSWORD);
}
