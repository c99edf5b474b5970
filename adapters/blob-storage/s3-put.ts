/**
 * Puts into S3 while the body streams. A body that fits in one part goes up in one PutObject, with
 * its SHA-256 as metadata and as the checksum S3 verifies on arrival. A larger one goes up as a
 * multipart upload (at most `queueSize` parts in memory); its SHA-256 is known only at the end, so
 * it is recorded afterwards by copying the object onto itself with new metadata, which S3 does
 * without moving the bytes through us.
 */
import { Buffer } from "node:buffer";
import { CopyObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { PutOptions, PutResult } from "../../domain/ports/blob-storage.ts";
import { BodyMeter, type Measured } from "./body-meter.ts";
import { SHA256_METADATA } from "./s3-client.ts";
import { statusOf } from "./s3-errors.ts";

export interface S3PutResult extends PutResult {
  /** How many parts the object went up in: 1 for a single PutObject. */
  parts: number;
}

export interface PutTarget {
  client: S3Client;
  bucket: string;
  partSizeBytes: number;
  queueSize: number;
}

/** CopyObject copies at most 5 GiB: a larger object keeps no recorded SHA-256. */
const MAX_COPY_BYTES = 5 * 1024 ** 3;

export async function putObject(
  target: PutTarget,
  key: string,
  body: ReadableStream<Uint8Array> | Uint8Array,
  { contentType, contentLength }: PutOptions,
): Promise<S3PutResult> {
  const meter = new BodyMeter(key, contentLength);
  const chunks = meter.measure(body);
  try {
    const first = await readPast(chunks, target.partSizeBytes);
    if (first.done) {
      return await putWhole(target, key, concat(first.chunks), meter.result, contentType);
    }
    return await putMultipart(target, key, prepend(first.chunks, chunks), meter, contentType);
  } finally {
    // Stops (cancels) a body that a failed upload left unread; a no-op once it was read through.
    void chunks.return(undefined).catch(() => {});
  }
}

async function putWhole(
  { client, bucket }: PutTarget,
  key: string,
  bytes: Uint8Array,
  { size, sha256 }: Measured,
  contentType: string,
): Promise<S3PutResult> {
  const out = await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: bytes,
      ContentLength: size,
      ContentType: contentType,
      Metadata: { [SHA256_METADATA]: sha256 },
      ChecksumSHA256: Buffer.from(sha256, "hex").toString("base64"),
    }),
  );
  return {
    key,
    size,
    content_type: contentType,
    etag: required(out.ETag),
    checksum_sha256: sha256,
    parts: 1,
  };
}

async function putMultipart(
  target: PutTarget,
  key: string,
  chunks: AsyncIterable<Uint8Array>,
  meter: BodyMeter,
  contentType: string,
): Promise<S3PutResult> {
  const upload = new Upload({
    client: target.client,
    params: {
      Bucket: target.bucket,
      Key: key,
      Body: ReadableStream.from(chunks),
      ContentType: contentType,
    },
    partSize: target.partSizeBytes,
    queueSize: target.queueSize,
    leavePartsOnError: false, // a failed upload is aborted, its parts removed
  });
  let parts = 0;
  upload.on("httpUploadProgress", ({ part }) => parts = Math.max(parts, part ?? 0));
  const out = await upload.done();
  const { size, sha256 } = meter.result;
  const etag = size <= MAX_COPY_BYTES
    ? await recordSha256(target, key, required(out.ETag), sha256, contentType)
    : required(out.ETag);
  return { key, size, content_type: contentType, etag, checksum_sha256: sha256, parts };
}

/**
 * Adds the SHA-256 to the object's metadata, only if the object is still the one just uploaded:
 * when a concurrent put replaced it, that put records its own. Answers the object's ETag.
 */
async function recordSha256(
  { client, bucket }: PutTarget,
  key: string,
  etag: string,
  sha256: string,
  contentType: string,
): Promise<string> {
  try {
    const out = await client.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: key,
        CopySource: `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`,
        CopySourceIfMatch: etag,
        MetadataDirective: "REPLACE",
        ContentType: contentType,
        Metadata: { [SHA256_METADATA]: sha256 },
      }),
    );
    return out.CopyObjectResult?.ETag ?? etag;
  } catch (error) {
    if (statusOf(error) === 412) return etag;
    throw error;
  }
}

/** Reads chunks until more than `limit` bytes are in hand or the body ends. */
async function readPast(
  chunks: AsyncIterator<Uint8Array>,
  limit: number,
): Promise<{ chunks: Uint8Array[]; done: boolean }> {
  const read: Uint8Array[] = [];
  for (let bytes = 0; bytes <= limit;) {
    const next = await chunks.next();
    if (next.done) return { chunks: read, done: true };
    read.push(next.value);
    bytes += next.value.byteLength;
  }
  return { chunks: read, done: false };
}

async function* prepend(
  first: Uint8Array[],
  rest: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield* first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const whole = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}

function required(etag: string | undefined): string {
  if (!etag) throw new Error("S3 answered without an ETag");
  return etag;
}
