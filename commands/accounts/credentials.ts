/**
 * Secrets of the sign-in flow: account ids derived from e-mail addresses, and refresh tokens
 * (`<account id>.<session id>.<secret>`) of which only a SHA-256 hash is stored.
 */

/** Base64url without padding (RFC 4648 §5), for tokens that travel in JSON and URLs. */
function encodeBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * One account per e-mail address: its id is derived from the address, so registration is a
 * "stream must not exist" append and login finds the stream without any index.
 */
export async function accountIdOf(email: string): Promise<string> {
  const hex = await sha256Hex(`account:${email}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20, 32)
  }`;
}

export interface RefreshToken {
  token: string;
  hash: string;
}

export async function newRefreshToken(accountId: string, sessionId: string): Promise<RefreshToken> {
  const secret = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const token = `${accountId}.${sessionId}.${secret}`;
  return { token, hash: await sha256Hex(token) };
}

/** The parts of a presented refresh token, or undefined when it is not shaped like one. */
export async function readRefreshToken(
  token: string,
): Promise<{ accountId: string; sessionId: string; hash: string } | undefined> {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]{1,64}$/.test(part))) {
    return undefined;
  }
  return { accountId: parts[0]!, sessionId: parts[1]!, hash: await sha256Hex(token) };
}

/** A random secret for humans to copy (the first admin's setup password). */
export function randomSecret(bytes = 18): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}
