/**
 * BlobStorage in an S3-compatible bucket (AWS S3, versitygw, MinIO...), on @aws-sdk/client-s3.
 * Large bodies go up as multipart uploads while they stream (s3-put.ts); reads stream the response
 * body; presigned GET URLs let clients fetch media from the store directly.
 */
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import {
  type BlobInfo,
  type BlobListing,
  type BlobRead,
  type BlobStorage,
  BlobStorageUnavailableError,
  type GetOptions,
  type PresignOptions,
  type PutOptions,
  RangeNotSatisfiableError,
} from "../../domain/ports/blob-storage.ts";
import { checkRange, parseContentRange, rangeHeader, resolveRange } from "./byte-range.ts";
import { checkExpiry } from "./presign.ts";
import { describe, newClient, type S3BlobStorageConfig } from "./s3-client.ts";
import { statusOf, toBlobError } from "./s3-errors.ts";
import { putObject, type PutTarget, type S3PutResult } from "./s3-put.ts";
import { validateKey, validatePrefix } from "./validate-key.ts";

export type { S3BlobStorageConfig } from "./s3-client.ts";
export type { S3PutResult } from "./s3-put.ts";

const MIN_PART_BYTES = 5 * 1024 * 1024; // the S3 minimum for all parts but the last
const DELETE_BATCH = 1000; // the DeleteObjects maximum

export class S3BlobStorage implements BlobStorage {
  readonly #client: S3Client;
  readonly #presigner: S3Client;
  readonly #bucket: string;
  readonly #target: PutTarget;
  readonly #responseTimeoutMs: number;

  constructor(config: S3BlobStorageConfig) {
    const partSizeBytes = config.partSizeBytes ?? 8 * 1024 * 1024;
    if (partSizeBytes < MIN_PART_BYTES) {
      throw new RangeError(`partSizeBytes must be at least ${MIN_PART_BYTES}`);
    }
    this.#bucket = config.bucket;
    this.#responseTimeoutMs = config.responseTimeoutMs ?? 10_000;
    this.#client = newClient(config, config.endpoint);
    this.#presigner = config.publicEndpoint
      ? newClient(config, config.publicEndpoint)
      : this.#client;
    this.#target = {
      client: this.#client,
      bucket: config.bucket,
      partSizeBytes,
      queueSize: config.queueSize ?? 4,
    };
  }

  /** Resolves to S3PutResult, which also tells how many parts the object went up in. */
  async put(
    key: string,
    body: ReadableStream<Uint8Array> | Uint8Array,
    options: PutOptions,
  ): Promise<S3PutResult> {
    validateKey(key);
    try {
      return await putObject(this.#target, key, body, options);
    } catch (error) {
      throw toBlobError(error, key);
    }
  }

  async get(key: string, { range }: GetOptions = {}): Promise<BlobRead> {
    validateKey(key);
    if (range) checkRange(range);
    // RFC 9110: a zero-length suffix is unsatisfiable; S3 stores differ on it.
    if (range && "suffix" in range && range.suffix === 0) throw await this.#unsatisfiable(key);
    const command = new GetObjectCommand({
      Bucket: this.#bucket,
      Key: key,
      Range: range && rangeHeader(range),
    });
    const out = await this.#send(key, (options) => this.#client.send(command, options))
      .catch(async (error) => {
        throw statusOf(error) === 416 ? await this.#unsatisfiable(key) : error;
      });
    const body = out.Body!.transformToWebStream() as ReadableStream<Uint8Array>;
    const contentRange = parseContentRange(out.ContentRange);
    const info = describe(key, { ...out, ContentLength: contentRange?.size ?? out.ContentLength });
    if (!range) return { ...info, body };
    if (contentRange) {
      return { ...info, body, range: { start: contentRange.start, end: contentRange.end } };
    }
    // The store sent the whole object without a Content-Range: fine only if that is what was asked.
    try {
      const whole = resolveRange(key, range, info.size);
      if (whole.start !== 0 || whole.end !== info.size - 1) {
        throw new Error(`S3 ignored the range for "${key}"`);
      }
      return { ...info, body, range: whole };
    } catch (error) {
      await body.cancel();
      throw error;
    }
  }

  async head(key: string): Promise<BlobInfo> {
    validateKey(key);
    const command = new HeadObjectCommand({ Bucket: this.#bucket, Key: key });
    return describe(key, await this.#send(key, (options) => this.#client.send(command, options)));
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    const command = new DeleteObjectCommand({ Bucket: this.#bucket, Key: key });
    await this.#send(key, (options) => this.#client.send(command, options));
  }

  async deletePrefix(prefix: string): Promise<number> {
    validatePrefix(prefix, { folder: true });
    let deleted = 0;
    let batch: string[] = [];
    // Deleting a listed page before reading the next is safe: the continuation token is a position.
    for await (const { key } of this.list(prefix)) {
      batch.push(key);
      if (batch.length === DELETE_BATCH) {
        [deleted, batch] = [deleted + await this.#deleteBatch(batch), []];
      }
    }
    return batch.length > 0 ? deleted + await this.#deleteBatch(batch) : deleted;
  }

  async *list(prefix: string): AsyncIterable<BlobListing> {
    validatePrefix(prefix);
    let token: string | undefined;
    do {
      const command = new ListObjectsV2Command({
        Bucket: this.#bucket,
        Prefix: prefix || undefined,
        ContinuationToken: token,
      });
      const page = await this.#send(prefix, (options) => this.#client.send(command, options));
      for (const { Key, Size, LastModified } of page.Contents ?? []) {
        if (Key === undefined) continue;
        yield {
          key: Key,
          size: Size ?? 0,
          last_modified: (LastModified ?? new Date(0)).toISOString(),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async presignedGetUrl(key: string, { expiresInSeconds }: PresignOptions): Promise<string> {
    validateKey(key);
    checkExpiry(expiresInSeconds);
    const command = new GetObjectCommand({ Bucket: this.#bucket, Key: key });
    return await getSignedUrl(this.#presigner, command, { expiresIn: expiresInSeconds });
  }

  async ping(): Promise<void> {
    const command = new HeadBucketCommand({ Bucket: this.#bucket });
    await this.#send("", (options) => this.#client.send(command, options)).catch((error) => {
      if (error instanceof BlobStorageUnavailableError) throw error;
      throw new BlobStorageUnavailableError(`S3 bucket "${this.#bucket}" is not usable`, {
        cause: error,
      });
    });
  }

  close(): Promise<void> {
    this.#client.destroy();
    if (this.#presigner !== this.#client) this.#presigner.destroy();
    return Promise.resolve();
  }

  async #deleteBatch(keys: string[]): Promise<number> {
    const Delete = { Objects: keys.map((Key) => ({ Key })), Quiet: true };
    const command = new DeleteObjectsCommand({ Bucket: this.#bucket, Delete });
    const out = await this.#send(keys[0]!, (options) => this.#client.send(command, options));
    const failed = out.Errors ?? [];
    if (failed.length > 0) {
      const { Key, Code, Message } = failed[0]!;
      throw new BlobStorageUnavailableError(
        `S3 could not delete ${failed.length} of ${keys.length} objects, e.g. "${Key}": ${Code} ${Message}`,
      );
    }
    return keys.length;
  }

  /**
   * Sends one request with a deadline for S3's answer (not for reading a body after it), so that a
   * hung store fails as unavailable instead of holding the caller; other failures are mapped.
   */
  async #send<T>(
    key: string,
    send: (options: { abortSignal: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.#responseTimeoutMs);
    try {
      return await send({ abortSignal: deadline.signal });
    } catch (error) {
      if (!deadline.signal.aborted) throw toBlobError(error, key);
      throw new BlobStorageUnavailableError(
        `S3 did not answer within ${this.#responseTimeoutMs} ms`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** RangeNotSatisfiableError with the object's size (for Content-Range: bytes *\/size). */
  async #unsatisfiable(key: string): Promise<RangeNotSatisfiableError> {
    return new RangeNotSatisfiableError(key, (await this.head(key)).size);
  }
}
