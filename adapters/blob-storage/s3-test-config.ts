/** The S3 store's configuration from the environment ops/services gives, for integration tests. */
import type { S3BlobStorageConfig } from "./s3-blob-storage.ts";

export const S3_VARIABLES = [
  "S3_ENDPOINT",
  "S3_REGION",
  "S3_BUCKET",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
  "S3_FORCE_PATH_STYLE",
] as const;
export type S3Env = Record<(typeof S3_VARIABLES)[number], string>;

export function configFrom(env: S3Env): S3BlobStorageConfig {
  return {
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    bucket: env.S3_BUCKET,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === "true",
  };
}
