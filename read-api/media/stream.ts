/**
 * The answer to a signed media request (GET or HEAD of `/v1/videos/<id>/stream/<rest>`): 403 for a
 * wrong, expired or tampered signature, else the file with Range support, or a redirect to a
 * presigned URL of the store (S3) so the bytes bypass the service. Playlists are always served
 * here, since their relative URIs must stay under the signed path. The stream route, the lean
 * path ahead of the HTTP app (adapters/http/lean-media-path.ts) and the media port
 * (adapters/http/media-listener.ts) all answer with it.
 */
import type { BlobStorage } from "../../domain/ports/blob-storage.ts";
import type { MediaUrlSigner } from "../../domain/ports/media-url-signer.ts";
import { parseStreamPath } from "./media-urls.ts";
import { bodiless, type MediaAnswer, type MediaRequest, problem, serveBlob } from "./serve-blob.ts";

export interface StreamDeps {
  storage: BlobStorage;
  signer: MediaUrlSigner;
  /** redirect: answer media files with a presigned store URL where the store can make one. */
  delivery: "redirect" | "proxy";
}

/** A CDN may keep a file no longer than its URL is valid, and at most a day. */
const MAX_CACHE_SEC = 86_400;

/** `rest`: the path after `/v1/videos/<videoId>/stream/`. */
export async function streamMedia(
  deps: StreamDeps,
  request: MediaRequest,
  videoId: string,
  rest: string,
): Promise<MediaAnswer> {
  const target = parseStreamPath(videoId, rest);
  const nowSec = Math.floor(Date.now() / 1000);
  const check = target ? deps.signer.verify(target.scope, target.grant, nowSec) : "invalid";
  if (!target || check !== "valid") {
    return problem(
      403,
      "Forbidden",
      check === "expired" ? "the media URL has expired" : "the media URL's signature is not valid",
    );
  }
  const remaining = target.grant.expires - nowSec;
  if (deps.delivery === "redirect" && !target.file.endsWith(".m3u8")) {
    const url = await deps.storage.presignedGetUrl(target.key, {
      expiresInSeconds: Math.max(1, remaining),
    });
    if (url) {
      return bodiless(302, { location: url, "cache-control": "private, no-store" });
    }
  }
  return serveBlob(
    request,
    deps.storage,
    target.key,
    `public, max-age=${Math.min(remaining, MAX_CACHE_SEC)}, immutable`,
  );
}
