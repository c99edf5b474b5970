/**
 * Bytes for the blob storage contract: large bodies generated on the fly (never whole in memory)
 * whose every byte can be recomputed from its position, so any range can be checked.
 */
import { createHash } from "node:crypto";
import type { BlobStorage } from "../../domain/ports/blob-storage.ts";

/** The byte at `position` of the pattern `seed`: a hash, so shifted offsets do not match. */
export function byteAt(seed: number, position: number): number {
  let x = Math.imul((position + Math.imul(seed, 0x9e3779b9)) | 0, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) & 0xff;
}

export function patternBytes(seed: number, start: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = byteAt(seed, start + i);
  return bytes;
}

export interface Generated {
  stream: ReadableStream<Uint8Array>;
  /** SHA-256 (hex) of what the stream produced, once it has been read to its end. */
  sha256(): string;
}

/**
 * `size` bytes of pattern `seed` as a stream, in uneven chunks (to cross part boundaries at odd
 * places), produced only as fast as they are read. With `failAfter`, the stream errors once it has
 * produced that many bytes.
 */
export function patternStream(
  seed: number,
  size: number,
  { failAfter = Infinity } = {},
): Generated {
  const hash = createHash("sha256");
  let produced = 0;
  let digest: string | undefined;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (produced >= failAfter) {
        controller.error(new Error(`the body failed after ${produced} bytes`));
        return;
      }
      if (produced >= size) {
        digest = hash.digest("hex");
        controller.close();
        return;
      }
      const length = Math.min(size - produced, produced % 2 === 0 ? 65_537 : 250_000);
      const chunk = patternBytes(seed, produced, length);
      hash.update(chunk);
      produced += length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  return {
    stream,
    sha256: () => {
      if (digest === undefined) throw new Error("the stream has not been read to its end");
      return digest;
    },
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Size and SHA-256 of a stream, read chunk by chunk. */
export async function measureStream(
  stream: ReadableStream<Uint8Array>,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { size, sha256: hash.digest("hex") };
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A stream of the given chunks. */
export function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(chunks);
}

export const text = (value: string): Uint8Array => new TextEncoder().encode(value);

/** The keys under `prefix`, sorted. */
export async function keysUnder(storage: BlobStorage, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of storage.list(prefix)) keys.push(key);
  return keys.sort();
}
