/**
 * The media port: a small HTTP/1.1 server for signed media requests, on a port of its own
 * (MEDIA_PORT). Through Deno.serve a 64 KiB range costs the service about 200 µs of CPU, nginx
 * about 50: Deno's Request and Response objects (the Response copies the body into a fresh buffer
 * and checks every header in JavaScript) take more than our code does. Written straight onto the
 * connection, the same answer costs about half (docs/benchmarks.md, docs/decisions/0029).
 *
 * It speaks the part of HTTP/1.1 media players and CDNs use: GET and HEAD without a body,
 * keep-alive and pipelining, one answer at a time per connection. Signed stream requests are
 * answered by the lean media path (the same signature check, Range, If-Range, If-None-Match, ids,
 * metrics and access log as on the main port); any other GET or HEAD (a query string, CMCD, a
 * percent-encoded path, /health) is handed to the app as a `Request`, and its `Response` written
 * back. Other methods get 405, a request with a body 400, a head over 16 KiB 431; connections idle
 * (or sending a head) for longer than the idle timeout are closed.
 */
import { BufferPool } from "../../read-api/media/buffer-pool.ts";
import { type MediaAnswer, problem } from "../../read-api/media/serve-blob.ts";
import type { ByteConn, ByteListener } from "../runtime/server.ts";
import type { LeanMediaPath } from "./lean-media-path.ts";

export interface MediaListenerOptions {
  lean: LeanMediaPath;
  /** Answers the GET and HEAD requests the lean path leaves to the app. */
  app: (request: Request) => Response | Promise<Response>;
  /** Closes connections idle, or sending a request head, this long (default 30 s). */
  idleTimeoutMs?: number;
}

export interface MediaListener {
  /** Stops accepting, closes idle connections, resolves once answers in progress are written. */
  shutdown(): Promise<void>;
}

const HEAD_LIMIT = 16 * 1024;
const CRLF_CRLF = [13, 10, 13, 10];
const REQUEST_LINE = /^([A-Z]+) (\/[^ ]*) HTTP\/1\.([01])$/;
/** Header values we write must not end the header block early. */
const UNSAFE_VALUE = /[\r\n\0]/;
const REASONS: Record<number, string> = {
  200: "OK",
  206: "Partial Content",
  302: "Found",
  304: "Not Modified",
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  416: "Range Not Satisfiable",
  431: "Request Header Fields Too Large",
};

/**
 * The head and a body read at once go out in one write, copied together into a buffer of this
 * pool: two writes cost about twice the CPU of one (each is a send through Deno's op layer).
 */
const HEAD_ROOM = 8 * 1024;
const BODY_AT_ONCE = 256 * 1024;
const outBuffers = new BufferPool(HEAD_ROOM + BODY_AT_ONCE, 32);

const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/** A request head as read off the connection. */
interface RequestHead {
  method: string;
  target: string;
  /** Lower-case names; repeated fields joined with ", ". */
  headers: Map<string, string>;
  keepAlive: boolean;
}

class BadRequest extends Error {
  constructor(readonly status: number, readonly detail: string) {
    super(detail);
  }
}

export function serveMediaListener(
  listener: ByteListener,
  options: MediaListenerOptions,
): MediaListener {
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  /** Open connections: when they last read a request, and whether an answer is being written. */
  const open = new Map<ByteConn, { since: number; answering: boolean }>();
  let closing = false;
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [conn, state] of open) {
      if (!state.answering && now - state.since >= idleTimeoutMs) conn.close();
    }
  }, Math.min(1_000, idleTimeoutMs));
  const connections = new Set<Promise<void>>();

  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        const state = { since: Date.now(), answering: false };
        open.set(conn, state);
        const served = serveConnection(conn, state, options, () => closing)
          .catch(() => {})
          .finally(() => {
            open.delete(conn);
            connections.delete(served);
            try {
              conn.close();
            } catch { /* already closed */ }
          });
        connections.add(served);
      }
    } catch { /* the listener was closed */ }
  })();

  return {
    async shutdown() {
      closing = true;
      listener.close();
      await accepting;
      for (const [conn, state] of open) if (!state.answering) conn.close();
      await Promise.all(connections);
      clearInterval(sweep);
    },
  };
}

async function serveConnection(
  conn: ByteConn,
  state: { since: number; answering: boolean },
  options: MediaListenerOptions,
  closing: () => boolean,
): Promise<void> {
  const input = new Uint8Array(HEAD_LIMIT);
  let filled = 0;
  while (!closing()) {
    let end = headEnd(input, filled);
    while (end < 0) {
      if (filled === input.length) {
        return await writeRefusal(conn, new BadRequest(431, "request head over 16 KiB"));
      }
      const read = await conn.read(input.subarray(filled));
      if (read === null) return;
      filled += read;
      end = headEnd(input, filled);
    }
    state.answering = true;
    let head: RequestHead;
    try {
      head = parseHead(latin1.decode(input.subarray(0, end)));
    } catch (error) {
      const refusal = error instanceof BadRequest
        ? error
        : new BadRequest(400, "malformed request head");
      return await writeRefusal(conn, refusal);
    }
    input.copyWithin(0, end + 4, filled);
    filled -= end + 4;
    try {
      await answer(conn, head, options);
    } catch (error) {
      if (error instanceof BadRequest) return await writeRefusal(conn, error);
      throw error;
    }
    state.answering = false;
    state.since = Date.now();
    if (!head.keepAlive) return;
  }
}

/** Index of the blank line ending the head in `input[0, filled)`, or -1. */
function headEnd(input: Uint8Array, filled: number): number {
  for (let i = input.indexOf(13); i >= 0 && i + 3 < filled; i = input.indexOf(13, i + 1)) {
    if (
      input[i + 1] === CRLF_CRLF[1] && input[i + 2] === CRLF_CRLF[2] &&
      input[i + 3] === CRLF_CRLF[3]
    ) return i;
  }
  return -1;
}

function parseHead(text: string): RequestHead {
  const lines = text.split("\r\n");
  const line = REQUEST_LINE.exec(lines[0]!);
  if (!line) throw new BadRequest(400, "malformed request line");
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const field = lines[i]!;
    const colon = field.indexOf(":");
    if (colon <= 0 || field[colon - 1] === " " || field[0] === " " || field[0] === "\t") {
      // No obsolete line folding, no space before the colon.
      throw new BadRequest(400, "malformed header field");
    }
    const name = field.slice(0, colon).toLowerCase();
    const value = field.slice(colon + 1).trim();
    const before = headers.get(name);
    headers.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  const [, method, target, minor] = line;
  if (method !== "GET" && method !== "HEAD") {
    throw new BadRequest(405, "the media port answers GET and HEAD");
  }
  // Media requests have no body, and one we would not read would be taken for the next request.
  const length = headers.get("content-length");
  if (headers.has("transfer-encoding") || (length !== undefined && length !== "0")) {
    throw new BadRequest(400, "a media request has no body");
  }
  const connection = headers.get("connection")?.toLowerCase() ?? "";
  const keepAlive = minor === "1" ? !connection.includes("close") : connection === "keep-alive";
  return { method: method!, target: target!, headers, keepAlive };
}

async function answer(conn: ByteConn, head: RequestHead, options: MediaListenerOptions) {
  const { headers } = head;
  const path = options.lean.pathOf(head.method, head.target, (name) => headers.has(name));
  const mediaRequest = { method: head.method, header: (name: string) => headers.get(name) ?? null };
  const leanAnswer = path === undefined ? undefined : await options.lean.answer(mediaRequest, path);
  if (leanAnswer) {
    try {
      await writeAnswer(conn, head, leanAnswer);
    } finally {
      leanAnswer.release();
    }
    return;
  }
  let request: Request;
  try {
    request = new Request(`http://${headers.get("host") || "localhost"}${head.target}`, {
      method: head.method,
      headers: [...headers],
    });
  } catch {
    throw new BadRequest(400, "a host or header value the Fetch API refuses");
  }
  const response = await options.app(request);
  const answered: MediaAnswer = {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: response.body,
    release: () => {},
  };
  await writeAnswer(conn, head, answered);
}

/** Writes the status line, headers and body (chunked when its length is not known). */
async function writeAnswer(conn: ByteConn, request: RequestHead, answer: MediaAnswer) {
  const { status, headers, body } = answer;
  const bodyless = request.method === "HEAD" || status === 304 || status === 204;
  const chunked = !bodyless && body !== null && headers["content-length"] === undefined;
  let text = `HTTP/1.1 ${status} ${REASONS[status] ?? ""}\r\ndate: ${httpDateNow()}\r\n`;
  for (const name in headers) {
    const value = headers[name]!;
    if (UNSAFE_VALUE.test(value)) throw new Error(`header ${name} has a line break`);
    text += `${name}: ${value}\r\n`;
  }
  if (body === null && !bodyless && headers["content-length"] === undefined) {
    text += "content-length: 0\r\n";
  }
  if (chunked) text += "transfer-encoding: chunked\r\n";
  if (!request.keepAlive) text += "connection: close\r\n";
  text += "\r\n";
  if (body instanceof Uint8Array && !bodyless && body.length <= BODY_AT_ONCE) {
    const out = outBuffers.take();
    try {
      const { read, written } = encoder.encodeInto(text, out.subarray(0, HEAD_ROOM));
      if (read === text.length) {
        out.set(body, written);
        return await writeAll(conn, out.subarray(0, written + body.length));
      }
    } finally {
      outBuffers.give(out);
    }
  }
  await writeAll(conn, encoder.encode(text));
  if (bodyless || body === null) {
    if (body instanceof ReadableStream) await body.cancel();
    return;
  }
  if (body instanceof Uint8Array) return await writeAll(conn, body);
  for await (const chunk of body) {
    if (chunk.length === 0) continue;
    if (chunked) await writeAll(conn, encoder.encode(`${chunk.length.toString(16)}\r\n`));
    await writeAll(conn, chunk);
    if (chunked) await writeAll(conn, encoder.encode("\r\n"));
  }
  if (chunked) await writeAll(conn, encoder.encode("0\r\n\r\n"));
}

/** A refusal of a request that cannot be read further: the connection closes after it. */
async function writeRefusal(conn: ByteConn, { status, detail }: BadRequest) {
  const refusal = problem(status, REASONS[status]!, detail);
  if (status === 405) refusal.headers.allow = "GET, HEAD";
  const request = { method: "GET", target: "", headers: new Map(), keepAlive: false };
  await writeAnswer(conn, request, refusal);
}

async function writeAll(conn: ByteConn, bytes: Uint8Array) {
  for (let written = 0; written < bytes.length;) {
    written += await conn.write(bytes.subarray(written));
  }
}

/** The Date header, made once a second. */
let date = { second: 0, text: "" };

function httpDateNow(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== date.second) date = { second, text: new Date(second * 1000).toUTCString() };
  return date.text;
}
