/**
 * Media URL signatures in nginx's secure_link format, so an nginx edge can verify the URLs the
 * service hands out without calling it (ops/nginx/media-edge.conf):
 *
 *   signature = base64url(MD5(expires + scope + " " + secret)), without padding
 *
 * which is `secure_link_md5 "$expires$scope $secret"` with `secure_link $signature,$expires`.
 * The secret is chosen by the URL's key id (nginx: a map from the kid). MD5 is what stock nginx
 * offers; with the secret at the end and a server-chosen scope, forging needs the secret (see
 * docs/decisions/0009). Comparison is constant-time.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type {
  GrantCheck,
  MediaGrant,
  MediaUrlSigner,
} from "../../domain/ports/media-url-signer.ts";

/** Most verified grants remembered (forgotten all at once beyond it). */
const VERIFIED_KEPT = 10_000;

/** Key ids as they may appear in a URL path segment and an nginx map. */
const KID = /^[A-Za-z0-9_-]{1,32}$/;

export interface SigningKey {
  kid: string;
  secret: string;
}

export class SecureLinkSigner implements MediaUrlSigner {
  readonly #keys: Map<string, string>;
  readonly #current: SigningKey;
  /**
   * Grants whose signature was found right: a player asks for many segments and ranges under one
   * URL prefix, and each would recompute the same MD5. Only a signature already proven valid is
   * found here (the lookup reveals nothing an attacker does not hold); expiry is checked each time.
   */
  readonly #verified = new Set<string>();

  /** `keys[0]` signs; all of them verify. */
  constructor(keys: readonly SigningKey[]) {
    if (keys.length === 0) throw new Error("at least one media signing key is needed");
    for (const key of keys) {
      if (!KID.test(key.kid)) {
        throw new Error(`media signing key id "${key.kid}" must match ${KID}`);
      }
      if (key.secret.length < 16) {
        throw new Error(`media signing key ${key.kid} is shorter than 16 characters`);
      }
    }
    this.#keys = new Map(keys.map((k) => [k.kid, k.secret]));
    this.#current = keys[0]!;
  }

  sign(scope: string, expires: number): MediaGrant {
    const { kid, secret } = this.#current;
    return { kid, expires, signature: digest(expires, scope, secret) };
  }

  verify(scope: string, grant: MediaGrant, nowSec: number): GrantCheck {
    const secret = this.#keys.get(grant.kid);
    if (!secret || !Number.isSafeInteger(grant.expires)) return "invalid";
    const signed = `${grant.kid}/${grant.expires}/${grant.signature}/${scope}`;
    if (!this.#verified.has(signed)) {
      const expected = Buffer.from(digest(grant.expires, scope, secret));
      const given = Buffer.from(grant.signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
      if (this.#verified.size >= VERIFIED_KEPT) this.#verified.clear();
      this.#verified.add(signed);
    }
    return grant.expires < nowSec ? "expired" : "valid";
  }
}

function digest(expires: number, scope: string, secret: string): string {
  return createHash("md5").update(`${expires}${scope} ${secret}`).digest("base64url");
}
