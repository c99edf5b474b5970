/**
 * The blob storage port: named byte objects (uploaded media, renditions, segments, posters) in a
 * local directory or an S3 bucket. Bodies stream in both directions; no method holds a whole
 * object in memory.
 *
 * Keys are relative, "/"-separated paths such as `videos/<id>/720p/segment-00001.ts`: non-empty
 * segments other than "." and "..", no leading or trailing "/", no backslashes or control
 * characters, at most 255 bytes a segment and 1024 bytes in all (UTF-8). Every adapter checks them
 * the same way and throws InvalidKeyError.
 *
 * What describes a stored object (BlobInfo, PutResult) is a document: it is copied into events
 * (VideoUploaded) and HTTP bodies, so its fields are snake_case (docs/decisions/0002). Method
 * options are code only and camelCase.
 */
import { BackingServiceUnavailableError } from "./unavailable.ts";

/** A stored object as `head` and `get` describe it. */
export interface BlobInfo {
  key: string;
  /** Size of the whole object in bytes. */
  size: number;
  content_type: string;
  /**
   * A strong HTTP entity tag, quotes included (`"…"`), ready for ETag and If-Range: it changes
   * whenever the bytes change. Adapters compute it differently, so compare it only with tags from
   * the same store.
   */
  etag: string;
  /**
   * SHA-256 of the bytes, lowercase hex, as computed by `put`. Absent for objects written by other
   * means (another tool, a tus store) or whose metadata could not be recorded.
   */
  checksum_sha256?: string;
  /** When the object was last written (ISO 8601). */
  last_modified: string;
}

/** What `put` stored: its size and SHA-256 are measured on the bytes as they streamed through. */
export interface PutResult {
  key: string;
  size: number;
  content_type: string;
  etag: string;
  checksum_sha256: string;
}

export interface PutOptions {
  /** Media type, e.g. "video/mp4"; served back as Content-Type. */
  contentType: string;
  /**
   * The length the body must have (a declared Content-Length or Upload-Length). A body that ends
   * short of it or runs past it fails with ContentLengthMismatchError and nothing is stored.
   */
  contentLength?: number;
}

/**
 * Which bytes to read, with HTTP Range semantics: `{start, end}` with an inclusive end (an end past
 * the object is cut to its last byte), `{start}` to the end of the object, or `{suffix: n}` for the
 * last n bytes (all of them when n exceeds the size). Offsets that no request could mean (negative,
 * fractional, an end before the start) throw RangeError.
 */
export type ByteRange = { start: number; end?: number } | { suffix: number };

export interface GetOptions {
  range?: ByteRange;
  /**
   * A buffer the store may read the bytes into when they fit (a directory store does so for small
   * reads): `bytes` is then a view of it. The caller keeps it, and must not reuse it while it still
   * uses `bytes` or `body`. A server that copies the bytes into its answer anyway (a `Response`
   * copies a buffer it is given) saves allocating one per read, which costs a busy process far
   * more than the read itself (docs/decisions/0025).
   */
  into?: Uint8Array<ArrayBuffer>;
}

/**
 * An object being read. The caller must read `body` to its end or cancel it: until then it holds
 * an open file or connection.
 */
export interface BlobRead extends BlobInfo {
  body: ReadableStream<Uint8Array>;
  /**
   * The same bytes as `body`, already in memory, when the store read them at once (a directory
   * store does so for small ranges): a caller may answer with them directly, which costs an HTTP
   * server far less than a stream. `body` then holds no file and need not be read or cancelled.
   */
  bytes?: Uint8Array<ArrayBuffer>;
  /** The inclusive byte offsets `body` holds, present when a range was asked for (Content-Range). */
  range?: { start: number; end: number };
}

/** One object under a listed prefix. */
export interface BlobListing {
  key: string;
  size: number;
  last_modified: string;
}

export interface PresignOptions {
  /** How long the URL stays valid: 1 s to 7 days (604 800 s, the SigV4 limit). */
  expiresInSeconds: number;
}

export interface BlobStorage {
  /**
   * Stores `body` under `key`, replacing any object there. Readers see the old object or the new
   * one, never a mix, also when several puts of one key race (the last to finish wins). Rejects
   * with the body's own error when the body fails; nothing is stored then.
   */
  put(
    key: string,
    body: ReadableStream<Uint8Array> | Uint8Array,
    options: PutOptions,
  ): Promise<PutResult>;
  /** The object's bytes, or the asked range of them; BlobNotFoundError, RangeNotSatisfiableError. */
  get(key: string, options?: GetOptions): Promise<BlobRead>;
  /** The object's description without its bytes; BlobNotFoundError when absent. */
  head(key: string): Promise<BlobInfo>;
  /** Removes the object; succeeds when it is already absent. */
  delete(key: string): Promise<void>;
  /**
   * Removes every object whose key starts with `prefix` (a video's renditions) and answers how many
   * it removed. The prefix must end with "/", so that "videos/1/" never takes "videos/10/" along.
   */
  deletePrefix(prefix: string): Promise<number>;
  /** Objects whose key starts with `prefix` (any string, "" for all), in no particular order. */
  list(prefix: string): AsyncIterable<BlobListing>;
  /**
   * A URL that lets anyone GET the object (Range requests included) until it expires, so media
   * bytes bypass the service; undefined when the store cannot presign (a local directory), and
   * delivery then streams through the API. The object need not exist yet.
   */
  presignedGetUrl(key: string, options: PresignOptions): Promise<string | undefined>;
  /**
   * The local file that holds the object's bytes, for a store that keeps objects as plain files (a
   * local directory; absent for S3), so that a local program such as ffmpeg reads them in place
   * instead of a copy. Only for reading; the file may not exist.
   */
  localPath?(key: string): string;
  /** Succeeds when the store answers; used by GET /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  override readonly name = "BlobNotFoundError";
  constructor(readonly key: string) {
    super(`no object with key "${key}"`);
  }
}

/** A key or prefix that breaks the key rules above; the message says which rule. */
export class InvalidKeyError extends Error {
  override readonly name = "InvalidKeyError";
  constructor(readonly key: string, reason: string) {
    super(
      `invalid blob key ${
        JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key)
      }: ${reason}`,
    );
  }
}

/** The asked range lies outside the object: answer 416 with `Content-Range: bytes *\/size`. */
export class RangeNotSatisfiableError extends Error {
  override readonly name = "RangeNotSatisfiableError";
  constructor(readonly key: string, readonly size: number) {
    super(`the range asked for lies outside "${key}" (${size} bytes)`);
  }
}

/** The body was shorter or longer than its declared length; nothing was stored (answer 400). */
export class ContentLengthMismatchError extends Error {
  override readonly name = "ContentLengthMismatchError";
  constructor(readonly key: string, readonly declared: number, readonly received: number) {
    super(
      `the body for "${key}" declared ${declared} bytes but ${
        received > declared ? "ran past them" : `had ${received}`
      }`,
    );
  }
}

/**
 * The store cannot be reached or cannot take writes now (S3 down, disk full): a backing-service
 * outage, so the HTTP shell answers 503 with Retry-After.
 */
export class BlobStorageUnavailableError extends BackingServiceUnavailableError {
  override readonly name: string = "BlobStorageUnavailableError";
  constructor(message: string, options?: ErrorOptions) {
    super("blob-storage", message, 5, options);
  }
}
