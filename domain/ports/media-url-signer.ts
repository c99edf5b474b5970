/**
 * The media URL signer port: grants access to every object under a scope (one transcode's outputs)
 * until a time, so an HLS player can follow the master playlist's relative URIs to variants and
 * segments under the same signed path. Keys carry an id, so a new key can sign while older ones
 * still verify the URLs already handed out (rotation).
 */

export interface MediaGrant {
  /** Id of the key that signed. */
  kid: string;
  /** Unix time in seconds after which the grant is refused. */
  expires: number;
  signature: string;
}

export type GrantCheck = "valid" | "expired" | "invalid";

export interface MediaUrlSigner {
  sign(scope: string, expires: number): MediaGrant;
  verify(scope: string, grant: MediaGrant, nowSec: number): GrantCheck;
}
