/**
 * Reads the `file` field of a multipart/form-data body (RFC 7578) as a stream, without buffering
 * it: the bytes are handed on as they arrive, less a tail as long as the boundary, which may be
 * split across chunks. Fields before the file are skipped; whatever follows it is read to the end
 * only to check the body is whole. A body that is cut short, runs past its declared length or
 * carries a larger file than allowed makes the file stream fail, so its consumer keeps nothing.
 */
import { Buffer } from "node:buffer";
import { UploadTooLargeError } from "../../domain/media/upload-errors.ts";
import { ValidationError } from "../../domain/shared/errors.ts";

export interface FilePart {
  /** The file name the client gave, if any (only ever used as a label, never as a path). */
  fileName?: string;
  /** The part's Content-Type, or application/octet-stream. */
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

export interface MultipartOptions {
  /** The request's Content-Type header, which names the boundary. */
  contentType: string;
  /** The field that holds the file. */
  field: string;
  maxFileBytes: number;
  /** The request's Content-Length, when it declared one. */
  declaredLength?: number;
}

/** Headers of one part, and bytes skipped before the first boundary or after the file: small. */
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_OTHER_BYTES = 64 * 1024;

const malformed = (message: string) => new ValidationError([{ path: "body", message }]);

/** The file part of `source`; rejects with ValidationError when there is none. */
export async function multipartFile(
  source: ReadableStream<Uint8Array>,
  options: MultipartOptions,
): Promise<FilePart> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(options.contentType);
  if (!boundary) throw malformed("the multipart Content-Type names no boundary");
  // Every delimiter, the first included once a CRLF is put in front of the body, is CRLF--boundary.
  const delimiter = Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`);
  const scanner = new Scanner(source, options.declaredLength);
  try {
    await scanner.skipThrough(delimiter, MAX_OTHER_BYTES);
    while (true) {
      if (await scanner.startsWith("--")) throw malformed(`no "${options.field}" field`);
      const headers = await scanner.headers();
      const part = partOf(headers);
      if (part.name === options.field) {
        return { ...part, body: fileStream(scanner, delimiter, options.maxFileBytes) };
      }
      await scanner.skipThrough(delimiter, MAX_OTHER_BYTES);
    }
  } catch (error) {
    await scanner.cancel();
    throw error;
  }
}

function fileStream(
  scanner: Scanner,
  delimiter: Buffer,
  maxFileBytes: number,
): ReadableStream<Uint8Array> {
  let size = 0;
  return new ReadableStream({
    async pull(controller) {
      try {
        const chunk = await scanner.nextBefore(delimiter);
        if (chunk === undefined) {
          await scanner.checkEpilogue(delimiter);
          return controller.close();
        }
        size += chunk.byteLength;
        if (size > maxFileBytes) throw new UploadTooLargeError(maxFileBytes);
        controller.enqueue(chunk);
      } catch (error) {
        await scanner.cancel();
        controller.error(error);
      }
    },
    cancel: () => scanner.cancel(),
  }, { highWaterMark: 0 });
}

function partOf(headers: Map<string, string>): Omit<FilePart, "body"> & { name?: string } {
  const disposition = headers.get("content-disposition") ?? "";
  if (!/^form-data\b/i.test(disposition)) throw malformed("a part is not form-data");
  const params = new Map<string, string>();
  for (
    const [, key, value] of disposition.matchAll(/;\s*([a-z*]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/gi)
  ) {
    params.set(
      key!.toLowerCase(),
      value!.startsWith('"') ? value!.slice(1, -1).replace(/\\(.)/g, "$1") : value!.trim(),
    );
  }
  const extended = /^utf-8''(.*)$/i.exec(params.get("filename*") ?? "");
  return {
    name: params.get("name"),
    fileName: extended ? decodeURIComponent(extended[1]!) : params.get("filename"),
    contentType: headers.get("content-type") ?? "application/octet-stream",
  };
}

/** A byte source read ahead into a small buffer, with the searches the parser needs. */
class Scanner {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buffer: Buffer = Buffer.from("\r\n");
  #ended = false;
  #received = 0;

  constructor(source: ReadableStream<Uint8Array>, readonly declaredLength?: number) {
    this.#reader = source.getReader();
  }

  /** Reads one more chunk into the buffer; false at the end of the body. */
  async #fill(): Promise<boolean> {
    if (this.#ended) return false;
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await this.#reader.read();
    } catch (error) {
      throw malformed(`the request body broke off: ${(error as Error).message}`);
    }
    if (result.done) {
      this.#ended = true;
      if (this.declaredLength !== undefined && this.#received < this.declaredLength) {
        throw malformed(
          `the body ended after ${this.#received} of the ${this.declaredLength} bytes declared`,
        );
      }
      return false;
    }
    this.#received += result.value.byteLength;
    if (this.declaredLength !== undefined && this.#received > this.declaredLength) {
      throw malformed(`the body runs past the ${this.declaredLength} bytes declared`);
    }
    this.#buffer = Buffer.concat([this.#buffer, result.value]);
    return true;
  }

  async #need(bytes: number): Promise<void> {
    while (this.#buffer.length < bytes) {
      if (!await this.#fill()) throw malformed("the body ended in the middle of the multipart");
    }
  }

  /** Whether the next bytes are `text`, consuming them if so. */
  async startsWith(text: string): Promise<boolean> {
    await this.#need(text.length);
    if (this.#buffer.subarray(0, text.length).toString("latin1") !== text) return false;
    this.#buffer = this.#buffer.subarray(text.length);
    return true;
  }

  /** Drops bytes through the next `delimiter`, at most `limit` of them. */
  async skipThrough(delimiter: Buffer, limit: number): Promise<void> {
    let skipped = 0;
    while (true) {
      const at = this.#buffer.indexOf(delimiter);
      if (at >= 0) {
        this.#buffer = this.#buffer.subarray(at + delimiter.length);
        return;
      }
      const keep = Math.min(this.#buffer.length, delimiter.length - 1);
      skipped += this.#buffer.length - keep;
      this.#buffer = this.#buffer.subarray(this.#buffer.length - keep);
      if (skipped > limit) throw malformed("too many bytes outside the file part");
      if (!await this.#fill()) throw malformed("the body ended in the middle of the multipart");
    }
  }

  /** The part headers after a delimiter's line end, names lower-cased. */
  async headers(): Promise<Map<string, string>> {
    while (true) {
      const end = this.#buffer.indexOf("\r\n\r\n");
      if (end >= 0) {
        // The delimiter line may carry transport padding before its CRLF.
        const lines = this.#buffer.subarray(0, end).toString("utf8").split("\r\n").slice(1);
        this.#buffer = this.#buffer.subarray(end + 4);
        return new Map(lines.map((line) => {
          const colon = line.indexOf(":");
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }));
      }
      if (this.#buffer.length > MAX_HEADER_BYTES) throw malformed("part headers are too long");
      if (!await this.#fill()) throw malformed("the body ended in the middle of part headers");
    }
  }

  /** The next bytes before `delimiter` (consuming it when reached), or undefined once there. */
  async nextBefore(delimiter: Buffer): Promise<Uint8Array | undefined> {
    while (true) {
      const at = this.#buffer.indexOf(delimiter);
      if (at === 0) {
        this.#buffer = this.#buffer.subarray(delimiter.length);
        return undefined;
      }
      const safe = at > 0 ? at : this.#buffer.length - (delimiter.length - 1);
      if (safe > 0) {
        const chunk = this.#buffer.subarray(0, safe);
        this.#buffer = this.#buffer.subarray(safe);
        return chunk;
      }
      if (!await this.#fill()) throw malformed("the body ended before the file part did");
    }
  }

  /** Reads what follows the file to the end: later parts are ignored, but the body must close. */
  async checkEpilogue(delimiter: Buffer): Promise<void> {
    const closing = Buffer.concat([delimiter, Buffer.from("--")]);
    let rest = this.#buffer;
    while (await this.#fill()) {
      rest = this.#buffer;
      if (rest.length > MAX_OTHER_BYTES) throw malformed("too many bytes after the file part");
    }
    if (!(rest.subarray(0, 2).toString() === "--" || rest.indexOf(closing) >= 0)) {
      throw malformed("the body ended without the closing multipart boundary");
    }
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}
