/** The S3 adapter's configuration, its client, and what S3 headers say about an object. */
import { S3Client } from "@aws-sdk/client-s3";
import type { BlobInfo } from "../../domain/ports/blob-storage.ts";

export interface S3BlobStorageConfig {
  /** e.g. http://127.0.0.1:57070; AWS's regional endpoint when absent. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Static credentials; the SDK's default chain (environment, instance role...) when absent. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Bucket in the path (http://host/bucket/key), as most self-hosted stores need. */
  forcePathStyle: boolean;
  /** Where clients reach the store when that differs from `endpoint`; presigned URLs point there. */
  publicEndpoint?: string;
  /** Multipart part size (default 8 MiB, at least 5 MiB); bodies up to it go up in one request. */
  partSizeBytes?: number;
  /** Parts uploaded at once (default 4); memory use is up to queueSize x partSizeBytes a put. */
  queueSize?: number;
  /** Longest wait to connect before a request fails as unavailable (default 3 s). */
  connectTimeoutMs?: number;
  /**
   * Longest wait for S3 to start answering a request without a body (get, head, list, delete,
   * ping), retries included (default 10 s). Reading a body after that is not limited.
   */
  responseTimeoutMs?: number;
  /** Longest a connection may sit idle mid-request, uploads included (default 60 s). */
  idleTimeoutMs?: number;
  /** Attempts per request, retries of 5xx and network errors included (default 3). */
  maxAttempts?: number;
}

/** The user metadata entry (x-amz-meta-sha256) that keeps the SHA-256 computed by `put`. */
export const SHA256_METADATA = "sha256";

interface ObjectHeaders {
  ContentLength?: number;
  ContentType?: string;
  ETag?: string;
  LastModified?: Date;
  Metadata?: Record<string, string>;
}

export function describe(key: string, out: ObjectHeaders): BlobInfo {
  const sha256 = out.Metadata?.[SHA256_METADATA];
  return {
    key,
    size: out.ContentLength ?? 0,
    content_type: out.ContentType ?? "application/octet-stream",
    etag: out.ETag ?? "",
    ...(sha256 && /^[0-9a-f]{64}$/.test(sha256) ? { checksum_sha256: sha256 } : {}),
    last_modified: (out.LastModified ?? new Date(0)).toISOString(),
  };
}

export function newClient(config: S3BlobStorageConfig, endpoint: string | undefined): S3Client {
  const { accessKeyId, secretAccessKey } = config;
  return new S3Client({
    endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    maxAttempts: config.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: config.connectTimeoutMs ?? 3_000,
      socketTimeout: config.idleTimeoutMs ?? 60_000,
    },
  });
}
