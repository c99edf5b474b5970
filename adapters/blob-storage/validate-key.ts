/**
 * The key rules of the blob storage port, checked the same way by every adapter. They keep keys
 * safe as file paths (no traversal, nothing absolute) and portable between a directory and S3.
 */
import { InvalidKeyError } from "../../domain/ports/blob-storage.ts";

const MAX_KEY_BYTES = 1024; // the S3 limit
const MAX_SEGMENT_BYTES = 255; // the file-name limit of common file systems
const encoder = new TextEncoder();

/** Throws InvalidKeyError unless `key` names an object. */
export function validateKey(key: string): void {
  if (key === "") throw new InvalidKeyError(key, "it is empty");
  checkText(key);
  if (key.endsWith("/")) throw new InvalidKeyError(key, "it ends with /");
  checkSegments(key, key.split("/"));
}

/**
 * Throws InvalidKeyError unless `prefix` can start keys: "" or the start of a valid key. With
 * `folder`, it must also be non-empty and end with "/".
 */
export function validatePrefix(prefix: string, { folder = false } = {}): void {
  if (folder && !prefix.endsWith("/")) {
    throw new InvalidKeyError(prefix, "a folder prefix must end with /");
  }
  if (prefix === "") return;
  checkText(prefix);
  const segments = prefix.split("/");
  // The last segment may be partial, and empty when the prefix ends with "/".
  const last = segments.pop()!;
  if (segments.length > 0) checkSegments(prefix, segments);
  if (!fitsIn(last, MAX_SEGMENT_BYTES)) {
    throw new InvalidKeyError(prefix, `a segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
}

/** C0 and C1 control characters, DEL included. */
function checkText(key: string): void {
  if (key.startsWith("/")) throw new InvalidKeyError(key, "it starts with /");
  if (key.includes("\\")) throw new InvalidKeyError(key, "it contains a backslash");
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\u007f-\u009f]/.test(key)) {
    throw new InvalidKeyError(key, "it contains a control character");
  }
  if (!key.isWellFormed()) throw new InvalidKeyError(key, "it is not well-formed Unicode");
  if (!fitsIn(key, MAX_KEY_BYTES)) {
    throw new InvalidKeyError(key, `it is longer than ${MAX_KEY_BYTES} bytes (UTF-8)`);
  }
}

function checkSegments(key: string, segments: readonly string[]): void {
  for (const segment of segments) {
    if (segment === "") throw new InvalidKeyError(key, "it has an empty segment (//)");
    if (segment === "." || segment === "..") {
      throw new InvalidKeyError(key, `it has a "${segment}" segment`);
    }
    if (!fitsIn(segment, MAX_SEGMENT_BYTES)) {
      throw new InvalidKeyError(key, `a segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
    }
  }
}

/**
 * Whether `text` takes at most `maxBytes` in UTF-8. A UTF-16 code unit takes at most 3 bytes, so
 * short texts (every key a media request reads) need no encoding.
 */
function fitsIn(text: string, maxBytes: number): boolean {
  return text.length * 3 <= maxBytes || encoder.encode(text).byteLength <= maxBytes;
}
