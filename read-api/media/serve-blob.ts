/**
 * Answers a GET or HEAD for a stored object the way media players and CDNs expect: one byte range
 * (206 + Content-Range, 416 outside the object), If-Range, If-None-Match (304), ETag,
 * Last-Modified, Accept-Ranges. The body streams from the store (small ranges it read at once are
 * answered as bytes); nothing holds the whole object.
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

/**
 * Small ranges are read into a buffer of this pool and copied into the answer: as large as the
 * directory store's biggest read at once; at most 32 kept (8 MiB), more made and dropped when
 * more ranges are served at once.
 */
const rangeBuffers = new BufferPool(256 * 1024, 32);

export async function serveBlob(
  request: Request,
  storage: BlobStorage,
  key: string,
  cacheControl: string,
  extraHeaders?: Record<string, string>,
): Promise<Response> {
  const head = request.method === "HEAD";
  const range = head ? undefined : parseRangeHeader(request.headers.get("range") ?? undefined);
  const into = range ? rangeBuffers.take() : undefined;
  try {
    if (head) {
      return new Response(null, {
        status: 200,
        headers: headersOf(await storage.head(key), cacheControl, extraHeaders),
      });
    }
    let read = await storage.get(key, range ? { range, into } : undefined);
    const ifRange = request.headers.get("if-range");
    if (range && ifRange !== null && ifRange !== read.etag) {
      // The client's partial copy is stale: it gets the whole new object instead.
      await read.body.cancel();
      read = await storage.get(key);
    }
    const headers = headersOf(read, cacheControl, extraHeaders);
    if (request.headers.get("if-none-match") === read.etag) {
      await read.body.cancel();
      return new Response(null, { status: 304, headers });
    }
    // Bytes the store already read cost the HTTP server far less than a stream.
    const body = read.bytes ?? read.body;
    if (!read.range) return new Response(body, { status: 200, headers });
    const { start, end } = read.range;
    headers["content-range"] = `bytes ${start}-${end}/${read.size}`;
    headers["content-length"] = String(end - start + 1);
    return new Response(body, { status: 206, headers });
  } catch (error) {
    if (error instanceof RangeNotSatisfiableError) {
      return new Response(null, {
        status: 416,
        headers: { "content-range": `bytes */${error.size}`, "accept-ranges": "bytes" },
      });
    }
    if (error instanceof BlobNotFoundError || error instanceof InvalidKeyError) {
      return problem(404, "Not Found", "no such media file");
    }
    throw error;
  } finally {
    // The answer holds a copy of the bytes (a Response copies its buffer), or never used them.
    if (into) rangeBuffers.give(into);
  }
}

/** A plain record: the Response fills its headers from it once, with no Headers object between. */
function headersOf(
  info: BlobInfo,
  cacheControl: string,
  extraHeaders?: Record<string, string>,
): Record<string, string> {
  return {
    ...extraHeaders,
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

/** A problem document (the media routes answer outside the JSON error mapper, for 403 and 404). */
export function problem(status: number, title: string, detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail }), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
  });
}
