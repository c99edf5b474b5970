/** HTTP Range arithmetic shared by the blob storage adapters. */
import { type ByteRange, RangeNotSatisfiableError } from "../../domain/ports/blob-storage.ts";

/** Inclusive byte offsets within an object. */
export interface ResolvedRange {
  start: number;
  end: number;
}

/** Throws RangeError for a range no request could mean: negative, fractional or reversed. */
export function checkRange(range: ByteRange): void {
  const offsets = "suffix" in range ? [range.suffix] : [range.start, range.end ?? range.start];
  if (!offsets.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new RangeError(
      `byte range offsets must be non-negative integers: ${JSON.stringify(range)}`,
    );
  }
  if (!("suffix" in range) && range.end !== undefined && range.end < range.start) {
    throw new RangeError(`byte range ends before it starts: ${JSON.stringify(range)}`);
  }
}

/**
 * The offsets `range` selects in an object of `size` bytes (RFC 9110 §14.1.2): an end past the
 * object is cut to its last byte; a start at or past the end, a zero suffix or an empty object is
 * unsatisfiable.
 */
export function resolveRange(key: string, range: ByteRange, size: number): ResolvedRange {
  checkRange(range);
  if ("suffix" in range) {
    if (range.suffix === 0 || size === 0) throw new RangeNotSatisfiableError(key, size);
    return { start: Math.max(0, size - range.suffix), end: size - 1 };
  }
  if (range.start >= size) throw new RangeNotSatisfiableError(key, size);
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/** The Range header value for `range`, e.g. "bytes=0-99", "bytes=100-" or "bytes=-500". */
export function rangeHeader(range: ByteRange): string {
  checkRange(range);
  if ("suffix" in range) return `bytes=-${range.suffix}`;
  return `bytes=${range.start}-${range.end ?? ""}`;
}

/** Parses a Content-Range value such as "bytes 0-99/1000"; undefined when it is not one. */
export function parseContentRange(
  value: string | undefined,
): (ResolvedRange & { size: number }) | undefined {
  const match = value?.match(/^bytes (\d+)-(\d+)\/(\d+)$/);
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}
