/**
 * The tus checksum extension, which @tus/server does not implement: a PATCH with
 * `Upload-Checksum: <algorithm> <base64 digest>` is written to a spool file while it is hashed, and
 * reaches the store only when the digest matches; otherwise it is answered 460 and the upload's
 * offset does not move, so the client sends the chunk again. Chunks without the header pass as
 * they are. The spool is on disk: a chunk is never held in memory.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { open, rm } from "node:fs/promises";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileRangeStream } from "../blob-storage/file-range-stream.ts";

/** Advertised in Tus-Checksum-Algorithm; sha1 is the one the protocol requires. */
export const CHECKSUM_ALGORITHMS = ["sha1", "sha256", "md5"] as const;

export type ChecksumResult =
  | { verified: Request; cleanUp: () => Promise<void> }
  | { refused: Response };

/** The request to hand to the tus server, or the answer that refuses it. */
export async function verifyChecksum(request: Request, spoolDir: string): Promise<ChecksumResult> {
  const header = request.headers.get("upload-checksum");
  if (request.method !== "PATCH" || header === null) {
    return { verified: request, cleanUp: () => Promise.resolve() };
  }
  const [algorithm, expected] = header.trim().split(/\s+/);
  if (!CHECKSUM_ALGORITHMS.includes(algorithm as typeof CHECKSUM_ALGORITHMS[number]) || !expected) {
    return refuse(
      400,
      `Upload-Checksum algorithm not supported; use ${CHECKSUM_ALGORITHMS.join(", ")}\n`,
    );
  }
  const spool = join(spoolDir, `${crypto.randomUUID()}.chunk`);
  const cleanUp = () => rm(spool, { force: true });
  const hash = createHash(algorithm!);
  let size = 0;
  try {
    const hashing = new Transform({
      transform(chunk, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(request.body ?? [], hashing, createWriteStream(spool));
  } catch (error) {
    await cleanUp();
    throw error;
  }
  if (hash.digest("base64") !== expected) {
    await cleanUp();
    return refuse(460, "Checksum Mismatch\n");
  }
  const verified = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: fileRangeStream(await open(spool), 0, size - 1),
    signal: request.signal,
    // @ts-ignore: streaming request bodies need it (fetch spec), the DOM types lack it
    duplex: "half",
  });
  return { verified, cleanUp };
}

function refuse(status: number, body: string): ChecksumResult {
  return {
    refused: new Response(body, {
      status,
      headers: { "tus-resumable": "1.0.0", "content-type": "text/plain" },
    }),
  };
}
