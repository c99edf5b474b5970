/**
 * Where ffprobe can read a stored blob: the file itself in a local store, a presigned URL in S3
 * (ffprobe reads it with Range requests, so the object is not downloaded first).
 */
import type { BlobStorage } from "../../domain/ports/blob-storage.ts";

/** How long a probe's presigned URL stays valid: longer than any probe runs. */
const PROBE_URL_SECONDS = 3600;

export function blobSource(storage: BlobStorage): (key: string) => Promise<string> {
  if (storage.localPath) {
    const localPath = storage.localPath.bind(storage);
    return (key) => Promise.resolve(localPath(key));
  }
  return async (key) => {
    const url = await storage.presignedGetUrl(key, { expiresInSeconds: PROBE_URL_SECONDS });
    if (!url) throw new Error("this blob storage offers neither local files nor presigned URLs");
    return url;
  };
}
