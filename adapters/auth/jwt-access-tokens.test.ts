import assert from "node:assert/strict";
import { SignJWT, UnsecuredJWT } from "jose";
import { InvalidTokenError } from "../../domain/ports/access-tokens.ts";
import { jwtAccessTokens, type SigningKey } from "./jwt-access-tokens.ts";

const key = (kid: string): SigningKey => ({
  kid,
  secret: crypto.getRandomValues(new Uint8Array(32)),
});
const identity = { userId: "u1", profileId: "default", role: "viewer" as const, sessionId: "s1" };

async function rejects(tokens: ReturnType<typeof jwtAccessTokens>, token: string, why: RegExp) {
  await assert.rejects(tokens.verify(token), (error: Error) => {
    assert.ok(error instanceof InvalidTokenError);
    assert.match(error.message, why);
    return true;
  });
}

Deno.test("a token issued verifies back to the same identity", async () => {
  const tokens = jwtAccessTokens({ keys: [key("k1")], ttlSec: 60 });
  const { token, expires_in } = await tokens.issue(identity);
  assert.equal(expires_in, 60);
  assert.deepEqual(await tokens.verify(token), identity);
});

Deno.test("tampered, wrong-key, unsigned and expired tokens are rejected", async () => {
  const k1 = key("k1");
  const tokens = jwtAccessTokens({ keys: [k1], ttlSec: 60 });
  const { token } = await tokens.issue(identity);
  const [header, payload, signature] = token.split(".");
  const promoted = btoa(JSON.stringify({ ...JSON.parse(atob(payload!)), role: "admin" }))
    .replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  await rejects(tokens, `${header}.${promoted}.${signature}`, /not valid/);

  const other = jwtAccessTokens({ keys: [{ kid: "k1", secret: key("x").secret }], ttlSec: 60 });
  await rejects(tokens, (await other.issue(identity)).token, /not valid/);
  const unknownKid = jwtAccessTokens({ keys: [key("k9")], ttlSec: 60 });
  await rejects(tokens, (await unknownKid.issue(identity)).token, /not trusted/);

  const unsigned = new UnsecuredJWT({ pid: "default", role: "admin" }).setSubject("u1")
    .setIssuer("streaming-backend").setAudience("streaming-api").setExpirationTime("1m").encode();
  await rejects(tokens, unsigned, /not valid/);

  const expired = await new SignJWT({ pid: "default", role: "viewer" })
    .setProtectedHeader({ alg: "HS256", kid: "k1" }).setSubject("u1")
    .setIssuer("streaming-backend").setAudience("streaming-api")
    .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
    .setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(k1.secret);
  await rejects(tokens, expired, /expired/);
  await rejects(tokens, "garbage", /not valid/);
});

Deno.test("keys rotate: tokens of a key still listed verify, new tokens use the first key", async () => {
  const [oldKey, newKey] = [key("2026-01"), key("2026-02")];
  const before = jwtAccessTokens({ keys: [oldKey], ttlSec: 60 });
  const during = jwtAccessTokens({ keys: [newKey, oldKey], ttlSec: 60 });
  const after = jwtAccessTokens({ keys: [newKey], ttlSec: 60 });
  const oldToken = (await before.issue(identity)).token;
  assert.deepEqual(await during.verify(oldToken), identity);
  const newToken = (await during.issue(identity)).token;
  assert.equal(JSON.parse(atob(newToken.split(".")[0]!)).kid, "2026-02");
  assert.deepEqual(await after.verify(newToken), identity);
  await rejects(after, oldToken, /not trusted/);
});
