/**
 * Signed media URLs. One grant covers one transcode's outputs, and the grant sits in the path, so
 * the relative URIs of HLS playlists (variants, segments) stay under the same signed prefix:
 *
 *   /v1/videos/<video_id>/stream/<kid>/<expires>/<signature>/<upload_id>/<attempt>/<file>
 *
 * signs the scope `<video_id>/<upload_id>/<attempt>/` and serves the blob
 * `renditions/<upload_id>/<attempt>/<file>`. The same layout is what nginx verifies at the edge.
 */
import type { MediaGrant, MediaUrlSigner } from "../../domain/ports/media-url-signer.ts";

const RENDITIONS = "renditions/";

export interface MediaLink {
  /** Path of `key` under the grant, or undefined when the key lies outside the output prefix. */
  url(key: string): string;
  expires_at: string;
}

/** Expiry is rounded up to this step, so a URL stays the same for a while and CDNs can cache it. */
export const EXPIRY_STEP_SEC = 300;

export function expiryFor(nowMs: number, ttlSec: number): number {
  return Math.ceil((nowMs / 1000 + ttlSec) / EXPIRY_STEP_SEC) * EXPIRY_STEP_SEC;
}

/** `renditions/<upload>/<attempt>/` → `<upload>/<attempt>/`. */
function relativePrefix(outputPrefix: string): string {
  if (!outputPrefix.startsWith(RENDITIONS) || !outputPrefix.endsWith("/")) {
    throw new Error(`output prefix "${outputPrefix}" is not under ${RENDITIONS}`);
  }
  return outputPrefix.slice(RENDITIONS.length);
}

export function mediaLink(
  signer: MediaUrlSigner,
  videoId: string,
  outputPrefix: string,
  expires: number,
): MediaLink {
  const relative = relativePrefix(outputPrefix);
  const { kid, signature } = signer.sign(`${videoId}/${relative}`, expires);
  const base = `/v1/videos/${videoId}/stream/${kid}/${expires}/${signature}/${relative}`;
  return {
    url: (key) => `${base}${key.slice(outputPrefix.length)}`,
    expires_at: new Date(expires * 1000).toISOString(),
  };
}

export interface StreamRequest {
  scope: string;
  grant: MediaGrant;
  /** The blob to serve. */
  key: string;
  file: string;
}

/**
 * The parts of a stream path after `/v1/videos/<video_id>/stream/`: undefined when it does not
 * have the layout (answered 403 like a bad signature, so paths give nothing away).
 */
export function parseStreamPath(videoId: string, rest: string): StreamRequest | undefined {
  const match = /^([^/]+)\/(\d{1,12})\/([A-Za-z0-9_-]{22})\/([^/]+)\/(\d{1,6})\/(.+)$/.exec(rest);
  if (!match) return undefined;
  const [, kid, expires, signature, upload, attempt, file] = match;
  return {
    scope: `${videoId}/${upload}/${attempt}/`,
    grant: { kid: kid!, expires: Number(expires), signature: signature! },
    key: `${RENDITIONS}${upload}/${attempt}/${file}`,
    file: file!,
  };
}
