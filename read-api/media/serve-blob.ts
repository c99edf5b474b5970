/**
 * Answers a GET or HEAD for a stored object the way media players and CDNs expect: one byte range
 * (206 + Content-Range, 416 outside the object), If-Range, If-None-Match (304), ETag,
 * Last-Modified, Accept-Ranges. The body streams from the store (small ranges it read at once are
 * answered as bytes); nothing holds the whole object.
 *
 * The answer is a plain record, written by whichever HTTP server took the request: as a `Response`
 * (`toResponse`: the app's route and the lean path ahead of it) or straight onto the connection by
 * the media port (adapters/http/media-listener.ts).
 */
import {
  type BlobInfo,
  BlobNotFoundError,
  type BlobStorage,
  InvalidKeyError,
  RangeNotSatisfiableError,
} from "../../domain/ports/blob-storage.ts";
import { BufferPool } from "./buffer-pool.ts";
import { parseRangeHeader } from "./byte-ranges.ts";

/** What answering a media request reads of it. */
export interface MediaRequest {
  method: string;
  /** A request header's value, or null. */
  header(name: string): string | null;
}

/** An answer to a media request, not yet written. */
export interface MediaAnswer {
  status: number;
  /** Lower-case names; Content-Length is set whenever there is a body. */
  headers: Record<string, string>;
  /** Bytes read at once (valid until `release`), a stream, or none. */
  body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> | null;
  /** Gives back the buffer behind `body` once its bytes are written or copied (idempotent). */
  release(): void;
}

/**
 * Small ranges are read into a buffer of this pool and written (or copied) from it: as large as the
 * directory store's biggest read at once; at most 32 kept (8 MiB), more made and dropped when
 * more ranges are served at once.
 */
const rangeBuffers = new BufferPool(256 * 1024, 32);

const nothingToRelease = () => {};

export function mediaRequestOf(request: Request): MediaRequest {
  return { method: request.method, header: (name) => request.headers.get(name) };
}

/** The answer as a `Response`, which holds its own copy of the bytes. */
export function toResponse(answer: MediaAnswer): Response {
  try {
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  } finally {
    answer.release();
  }
}

export async function serveBlob(
  request: MediaRequest,
  storage: BlobStorage,
  key: string,
  cacheControl: string,
): Promise<MediaAnswer> {
  const head = request.method === "HEAD";
  const range = head ? undefined : parseRangeHeader(request.header("range") ?? undefined);
  const into = range ? rangeBuffers.take() : undefined;
  let released = false;
  const release = () => {
    if (!into || released) return;
    released = true;
    rangeBuffers.give(into);
  };
  try {
    if (head) {
      return bodiless(200, headersOf(await storage.head(key), cacheControl));
    }
    let read = await storage.get(key, range ? { range, into } : undefined);
    const ifRange = request.header("if-range");
    if (range && ifRange !== null && ifRange !== read.etag) {
      // The client's partial copy is stale: it gets the whole new object instead.
      await read.body.cancel();
      read = await storage.get(key);
    }
    const headers = headersOf(read, cacheControl);
    if (request.header("if-none-match") === read.etag) {
      await read.body.cancel();
      return { status: 304, headers, body: null, release };
    }
    // Bytes the store already read cost the HTTP server far less than a stream.
    const body = read.bytes ?? read.body;
    if (!read.range) return { status: 200, headers, body, release };
    const { start, end } = read.range;
    headers["content-range"] = `bytes ${start}-${end}/${read.size}`;
    headers["content-length"] = String(end - start + 1);
    return { status: 206, headers, body, release };
  } catch (error) {
    release();
    if (error instanceof RangeNotSatisfiableError) {
      return bodiless(416, { "content-range": `bytes */${error.size}`, "accept-ranges": "bytes" });
    }
    if (error instanceof BlobNotFoundError || error instanceof InvalidKeyError) {
      return problem(404, "Not Found", "no such media file");
    }
    throw error;
  }
}

/** An answer without a body (a HEAD, 302, 416), with no buffer to give back. */
export function bodiless(status: number, headers: Record<string, string>): MediaAnswer {
  return { status, headers, body: null, release: nothingToRelease };
}

/** A plain record: the Response fills its headers from it once, with no Headers object between. */
function headersOf(info: BlobInfo, cacheControl: string): Record<string, string> {
  return {
    "content-type": info.content_type,
    "content-length": String(info.size),
    "accept-ranges": "bytes",
    etag: info.etag,
    "last-modified": httpDate(info.last_modified),
    "cache-control": cacheControl,
  };
}

/** The HTTP date of the last object answered, kept: a player's requests repeat one object. */
let lastDate = { iso: "", http: "" };

function httpDate(iso: string): string {
  if (iso !== lastDate.iso) lastDate = { iso, http: new Date(iso).toUTCString() };
  return lastDate.http;
}

const encoder = new TextEncoder();

/** A problem document (the media routes answer outside the JSON error mapper, for 403 and 404). */
export function problem(status: number, title: string, detail: string): MediaAnswer {
  const body = encoder.encode(JSON.stringify({ type: "about:blank", title, status, detail }));
  return {
    status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      "content-length": String(body.length),
    },
    body,
    release: nothingToRelease,
  };
}
