/** How S3 client failures become the blob storage port's typed errors. */
import { BlobNotFoundError, BlobStorageUnavailableError } from "../../domain/ports/blob-storage.ts";

/** Socket-level failures: the store is down, unreachable or hung up. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/** The SDK's names for a request that timed out. */
const TIMEOUT_NAMES = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException"]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function statusOf(error: unknown): number | undefined {
  return (error as SdkError | null)?.$metadata?.httpStatusCode;
}

function nameOf(error: unknown): string | undefined {
  return (error as SdkError | null)?.name;
}

/**
 * `error` as a port error: a missing object as BlobNotFoundError (for `key`), a store that cannot
 * answer as BlobStorageUnavailableError; anything else (a failing body, a bug) unchanged.
 */
export function toBlobError(error: unknown, key: string): unknown {
  if (error instanceof BlobNotFoundError || error instanceof BlobStorageUnavailableError) {
    return error;
  }
  const status = statusOf(error);
  const name = nameOf(error);
  if (name === "NoSuchBucket") return unavailable(error, "the bucket does not exist");
  if (name === "NoSuchKey" || (status === 404 && name === "NotFound")) {
    return new BlobNotFoundError(key);
  }
  // 5xx: the store failed; 401/403: credentials or clock skew, which only configuration can fix.
  if (status !== undefined && (status >= 500 || status === 401 || status === 403)) {
    return unavailable(error, `it answered ${status} ${name ?? ""}`.trim());
  }
  // Only errors that went through the SDK's request stack: a body failing with ECONNRESET (the
  // uploading client hung up) is not an S3 outage.
  const code = (error as SdkError | null)?.code;
  const fromRequest = (error as SdkError | null)?.$metadata !== undefined;
  if (fromRequest && ((code && NETWORK_CODES.has(code)) || (name && TIMEOUT_NAMES.has(name)))) {
    return unavailable(error, code ?? name ?? "a network error");
  }
  return error;
}

function unavailable(cause: unknown, why: string): BlobStorageUnavailableError {
  const message = (cause as SdkError | null)?.message;
  return new BlobStorageUnavailableError(
    `S3 is unavailable: ${why}${message ? ` (${message})` : ""}`,
    { cause },
  );
}
