/**
 * Access tokens as JWTs (jose), HMAC-SHA256 signed. Keys rotate by id (the `kid` header): the
 * first key signs, every listed key verifies, so a new key is added first and the old one dropped
 * once the tokens it signed have expired. Only HS256 is accepted: "none" and other algorithms fail.
 */
import { errors, jwtVerify, SignJWT } from "jose";
import * as v from "valibot";
import { Role } from "../../domain/accounts/values.ts";
import { type AccessTokens, InvalidTokenError } from "../../domain/ports/access-tokens.ts";

export interface SigningKey {
  kid: string;
  secret: Uint8Array;
}

const ISSUER = "streaming-backend";
const AUDIENCE = "streaming-api";
const ALGORITHM = "HS256";

const Claims = v.object({
  sub: v.pipe(v.string(), v.nonEmpty()),
  pid: v.pipe(v.string(), v.nonEmpty()),
  role: Role,
  sid: v.optional(v.string()),
});

export function jwtAccessTokens(
  { keys, ttlSec }: { keys: readonly SigningKey[]; ttlSec: number },
): AccessTokens {
  const [signing] = keys;
  if (!signing) throw new RangeError("at least one signing key is needed");
  const byId = new Map(keys.map((key) => [key.kid, key.secret]));
  return {
    async issue(identity) {
      const token = await new SignJWT({
        pid: identity.profileId,
        role: identity.role,
        sid: identity.sessionId,
      })
        .setProtectedHeader({ alg: ALGORITHM, kid: signing.kid, typ: "JWT" })
        .setSubject(identity.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSec}s`)
        .sign(signing.secret);
      return { token, expires_in: ttlSec };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, (header) => {
          const secret = header.kid === undefined ? undefined : byId.get(header.kid);
          if (!secret) throw new InvalidTokenError("the token's signing key is not trusted");
          return secret;
        }, { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE });
        const claims = v.parse(Claims, payload);
        return {
          userId: claims.sub,
          profileId: claims.pid,
          role: claims.role,
          sessionId: claims.sid,
        };
      } catch (error) {
        if (error instanceof InvalidTokenError) throw error;
        if (error instanceof errors.JWTExpired) {
          throw new InvalidTokenError("the token has expired");
        }
        throw new InvalidTokenError("the token is not valid");
      }
    },
  };
}
