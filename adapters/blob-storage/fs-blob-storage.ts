/**
 * BlobStorage in a local directory, the embedded default. Layout under the root:
 *
 *   objects/<key>   the bytes, as plain files (an edge server such as nginx can serve them as is)
 *   meta/<key>      a JSON sidecar: media type, SHA-256 and the file version they belong to
 *   tmp/            puts in progress; a put is published by renames, so readers never see it torn
 *
 * A key cannot be both an object and a folder of objects here ("a" and "a/b"), unlike in S3; such
 * a put fails with InvalidKeyError. Puts of one key are serialized within the process; a put racing
 * in another process can at worst leave a sidecar that does not match, which reads detect.
 */
import { randomUUID } from "node:crypto";
import { access, constants, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  type BlobInfo,
  type BlobListing,
  type BlobRead,
  type BlobStorage,
  type ByteRange,
  type GetOptions,
  InvalidKeyError,
  type PresignOptions,
  type PutOptions,
  type PutResult,
} from "../../domain/ports/blob-storage.ts";
import { BodyMeter } from "./body-meter.ts";
import { checkRange, resolveRange } from "./byte-range.ts";
import {
  fileRangeStream,
  readFileRange,
  SMALL_READ_BYTES,
  streamOfBytes,
} from "./file-range-stream.ts";
import {
  errnoOf,
  guard,
  moveInto,
  pruneEmptyFolders,
  removeFile,
  removeStaleFiles,
  unavailableOr,
  walkFiles,
  writeFileDurably,
} from "./fs-files.ts";
import { type ObjectLease, OpenObjects } from "./fs-open-objects.ts";
import { encodeSidecar, versionOf } from "./fs-sidecar.ts";
import { KeyedMutex } from "./keyed-mutex.ts";
import { checkExpiry } from "./presign.ts";
import { validateKey, validatePrefix } from "./validate-key.ts";

/** Temp files older than this at start-up belong to puts a crash cut short. */
const STALE_TEMP_MS = 60 * 60_000;

/** How many objects' files stay open between reads (with their descriptions). */
const OPEN_FILES = 256;

export class FsBlobStorage implements BlobStorage {
  readonly #objects: string;
  readonly #meta: string;
  readonly #tmp: string;
  readonly #locks = new KeyedMutex();
  readonly #open = new OpenObjects(OPEN_FILES);

  private constructor(readonly root: string) {
    this.#objects = join(root, "objects");
    this.#meta = join(root, "meta");
    this.#tmp = join(root, "tmp");
  }

  /** Opens (creating if needed) the store in `root` and clears temp files left by a crash. */
  static async open(root: string): Promise<FsBlobStorage> {
    const storage = new FsBlobStorage(resolve(root));
    await guard(async () => {
      for (const folder of [storage.#objects, storage.#meta, storage.#tmp]) {
        await mkdir(folder, { recursive: true });
      }
      await removeStaleFiles(storage.#tmp, STALE_TEMP_MS);
    });
    return storage;
  }

  /**
   * Where the bytes of `key` live: an edge server serves the files itself, ffmpeg reads sources in
   * place. Only for reading: the store publishes files with their sidecars through `put`.
   */
  localPath(key: string): string {
    validateKey(key);
    return join(this.#objects, key);
  }

  async put(
    key: string,
    body: ReadableStream<Uint8Array> | Uint8Array,
    options: PutOptions,
  ): Promise<PutResult> {
    validateKey(key);
    const meter = new BodyMeter(key, options.contentLength);
    const temp = join(this.#tmp, randomUUID());
    return await guard(async () => {
      try {
        const stats = await writeFileDurably(`${temp}.data`, meter.measure(body));
        const { size, sha256 } = meter.result;
        const sidecar = {
          content_type: options.contentType,
          checksum_sha256: sha256,
          version: versionOf(stats),
        };
        await writeFileDurably(`${temp}.meta`, [encodeSidecar(sidecar)]);
        // Sidecar first: a crash between the renames leaves either no object or a mismatch that
        // reads detect, never an object described by another version's sidecar.
        await this.#locks.run(key, async () => {
          this.#open.forget(key);
          await moveInto(`${temp}.meta`, join(this.#meta, key));
          await moveInto(`${temp}.data`, join(this.#objects, key));
        }).catch((error) => {
          throw isFolderConflict(error) ? new InvalidKeyError(key, FOLDER_CONFLICT) : error;
        });
        return {
          key,
          size,
          content_type: options.contentType,
          etag: `"${sha256}"`,
          checksum_sha256: sha256,
        };
      } finally {
        await removeFile(`${temp}.data`);
        await removeFile(`${temp}.meta`);
      }
    });
  }

  async get(key: string, { range, into }: GetOptions = {}): Promise<BlobRead> {
    validateKey(key);
    if (range) checkRange(range);
    try {
      const lease = this.#open.leaseChecked(key) ?? await this.#lease(key);
      return await this.#read(key, lease, range, into);
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  /** The asked bytes of a leased object; gives the lease back unless a stream does later. */
  async #read(
    key: string,
    lease: ObjectLease,
    range: ByteRange | undefined,
    into: Uint8Array<ArrayBuffer> | undefined,
  ): Promise<BlobRead> {
    const { handle, info, release } = lease;
    let streaming = false;
    try {
      const bytes = range ? resolveRange(key, range, info.size) : { start: 0, end: info.size - 1 };
      const read = range ? { ...info, range: bytes } : { ...info };
      if (bytes.end - bytes.start + 1 > SMALL_READ_BYTES) {
        streaming = true; // the stream gives the file back when it ends
        return { ...read, body: fileRangeStream(handle, bytes.start, bytes.end, release) };
      }
      // A small range costs less read at once and answered as bytes than as a stream.
      const data = readFileRange(handle, bytes.start, bytes.end, into);
      // The stream is made only if asked for: callers answering with `bytes` never are.
      return {
        ...read,
        bytes: data,
        get body() {
          return streamOfBytes(data);
        },
      };
    } finally {
      if (!streaming) await release();
    }
  }

  async head(key: string): Promise<BlobInfo> {
    validateKey(key);
    return await guard(async () => {
      const { info, release } = this.#open.leaseChecked(key) ?? await this.#lease(key);
      await release();
      return info;
    });
  }

  #lease(key: string) {
    return this.#open.lease(key, join(this.#objects, key), join(this.#meta, key));
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    return await guard(() =>
      this.#locks.run(key, async () => {
        this.#open.forget(key);
        for (const root of [this.#objects, this.#meta]) {
          await removeFile(join(root, key));
          await pruneEmptyFolders(root, join(root, key));
        }
      })
    );
  }

  async deletePrefix(prefix: string): Promise<number> {
    validatePrefix(prefix, { folder: true });
    const keys: string[] = [];
    for await (const { key } of this.list(prefix)) keys.push(key);
    for (const key of keys) await this.delete(key);
    return keys.length;
  }

  async *list(prefix: string): AsyncIterable<BlobListing> {
    validatePrefix(prefix);
    const slash = prefix.lastIndexOf("/");
    const folder = prefix.slice(0, slash + 1);
    try {
      for await (
        const { path, stats } of walkFiles(join(this.#objects, folder), prefix.slice(slash + 1))
      ) {
        const last_modified = new Date(Number(stats.mtimeMs)).toISOString();
        yield { key: `${folder}${path}`, size: Number(stats.size), last_modified };
      }
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  /** Always undefined: a directory cannot presign. Arguments are checked as S3 checks them. */
  presignedGetUrl(key: string, { expiresInSeconds }: PresignOptions): Promise<string | undefined> {
    return new Promise((resolve) => {
      validateKey(key);
      checkExpiry(expiresInSeconds);
      resolve(undefined);
    });
  }

  async ping(): Promise<void> {
    return await guard(() => access(this.#objects, constants.R_OK | constants.W_OK));
  }

  close(): Promise<void> {
    this.#open.close();
    return Promise.resolve();
  }
}

const FOLDER_CONFLICT =
  "an object and a folder of objects cannot share a name in a directory store";

function isFolderConflict(error: unknown): boolean {
  return ["ENOTDIR", "EISDIR", "EEXIST", "ENOTEMPTY"].includes(errnoOf(error) ?? "");
}
