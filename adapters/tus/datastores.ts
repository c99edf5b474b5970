/**
 * The tus data stores of the two profiles: a local directory (@tus/file-store) embedded, an S3
 * bucket (@tus/s3-store) in production. Both expire unfinished uploads after `expiryMs`.
 */
import { FileStore } from "@tus/file-store";
import { S3Store } from "@tus/s3-store";
import { ERRORS } from "@tus/server";
import type { S3BlobStorageConfig } from "../blob-storage/s3-client.ts";
import type { ReadableDataStore } from "./tus-uploads.ts";

export function fileDatastore(directory: string, expiryMs: number): ReadableDataStore {
  return new FileStore({ directory, expirationPeriodInMilliseconds: expiryMs });
}

/**
 * Partial uploads as S3 multipart uploads, named by upload id at the bucket's root. The expiry
 * sweep aborts every multipart upload in the bucket older than `expiryMs`, so a bucket of its own
 * is best (UPLOAD_S3_BUCKET).
 */
export function s3Datastore(config: S3BlobStorageConfig, expiryMs: number): ReadableDataStore {
  const credentials = config.accessKeyId && config.secretAccessKey
    ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
    : undefined;
  return new FinishedRemovingS3Store({
    partSize: 8 * 1024 * 1024,
    expirationPeriodInMilliseconds: expiryMs,
    s3ClientConfig: {
      bucket: config.bucket,
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials,
    },
  });
}

/**
 * S3Store's `remove` terminates an upload by aborting its multipart upload, which a finished
 * upload no longer has: it then fails and leaves the assembled object and its .info behind. This
 * one removes those too, so the bytes do not stay once copied into blob storage.
 */
class FinishedRemovingS3Store extends S3Store {
  override async remove(id: string): Promise<void> {
    try {
      await super.remove(id);
    } catch (error) {
      if (error !== ERRORS.FILE_NOT_FOUND) throw error;
      // No .info either: there is no such upload at all.
      await this.getMetadata(id).catch(() => Promise.reject(error));
      await this.client.deleteObjects({
        Bucket: this.bucket,
        Delete: { Objects: [{ Key: id }, { Key: this.infoKey(id) }] },
      });
    }
  }
}
