/** Presigned URL rules shared by the blob storage adapters. */

/** SigV4 presigned URLs live at most 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** Throws RangeError unless `seconds` is a whole number from 1 to 7 days. */
export function checkExpiry(seconds: number): void {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
    throw new RangeError(
      `expiresInSeconds must be a whole number from 1 to ${MAX_PRESIGN_SECONDS}, got ${seconds}`,
    );
  }
}
