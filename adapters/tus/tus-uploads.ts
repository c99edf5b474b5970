/**
 * Resumable uploads: the tus 1.0 protocol (creation, termination, expiration, checksum) on
 * @tus/server, mounted in Hono through `handleWeb`. The data store (a local directory or S3) holds
 * an upload's bytes while it grows; once the last byte is in, the upload commands store, probe and
 * record it on the same path as a simple upload, and the tus copy is removed. Abandoned uploads
 * expire and a periodic sweep removes their parts.
 */
import { type DataStore, type Locker, Server, type Upload } from "@tus/server";
import { type Context, Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { commandMetadata } from "../../commands/http-context.ts";
import type { UploadCommands } from "../../commands/uploads/upload-commands.ts";
import { Id } from "../../domain/catalog/values.ts";
import type { EventMetadata } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import { BackingServiceUnavailableError } from "../../domain/ports/unavailable.ts";
import { ValidationError } from "../../domain/shared/errors.ts";
import { problemFor, problemResponse, titleOf } from "../http/problems.ts";
import { CHECKSUM_ALGORITHMS, verifyChecksum } from "./checksum.ts";
import { tusDocs } from "./openapi.ts";

/** A tus data store that can read an upload back (@tus/file-store and @tus/s3-store can). */
export type ReadableDataStore = DataStore & {
  read(id: string): AsyncIterable<Uint8Array> | Promise<AsyncIterable<Uint8Array>>;
};

export interface TusUploadsOptions {
  /** Where partial uploads live: @tus/file-store or @tus/s3-store. */
  datastore: ReadableDataStore;
  /** The path the app is mounted at, e.g. "/v1/uploads" (upload URLs are built on it). */
  path: string;
  /** Largest upload (Tus-Max-Size; 413 beyond). */
  maxBytes: number;
  /** A directory for PATCH bodies awaiting their checksum. */
  spoolDir: string;
  commands: UploadCommands;
  logger: Logger;
  /**
   * Who may touch an upload at a time. Default: @tus/server's MemoryLocker, which serves one process;
   * several API processes need a shared one (SharedLocker).
   */
  locker?: Locker;
}

/** What a hook learned about its request, for the answer the route gives afterwards. */
interface RequestNotes {
  metadata: EventMetadata;
  failure?: unknown;
}

/** Thrown into @tus/server to stop a request; the route answers with the noted failure instead. */
const HANDLED = { status_code: 500, body: "\n" };

export class TusUploads {
  readonly #server: Server;
  readonly #notes = new WeakMap<Request, RequestNotes>();
  #sweep: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: TusUploadsOptions) {
    if (!options.datastore.extensions.includes("checksum")) {
      options.datastore.extensions.push("checksum");
    }
    this.#server = new Server({
      path: options.path,
      datastore: options.datastore,
      maxSize: options.maxBytes,
      // The upload id names the upload's event stream: a UUID, never chosen by the client.
      namingFunction: () => crypto.randomUUID(),
      onUploadCreate: (request, upload) => this.#guard(request, () => this.#onCreate(upload)),
      onUploadFinish: (request, upload) =>
        this.#guard(request, () => this.#onFinish(request, upload)),
      ...(options.locker &&
        { locker: (request) => this.#outagesAnswered(request, options.locker!) }),
    });
  }

  /** The tus routes; downloads (GET) are not offered. */
  app(): Hono {
    const docs = tusDocs(this.options.maxBytes);
    const handle = (c: Context) => this.#handle(c);
    return new Hono()
      // hono-openapi leaves OPTIONS out of the document; the create route's text covers it.
      .options("/", handle)
      .post("/", describeRoute(docs.create!), handle)
      .patch("/:id", describeRoute(docs.patch!), handle)
      .delete("/:id", describeRoute(docs.terminate!), handle)
      // Hono routes HEAD as GET; the request keeps its own method.
      .get(
        "/:id",
        describeRoute({ hide: true }),
        (c) =>
          c.req.method === "HEAD"
            ? this.#handle(c)
            : problemResponse(c, { status: 405, title: titleOf(405), detail: "use HEAD or PATCH" }),
      );
  }

  /** Removes expired unfinished uploads and their parts; answers how many. */
  cleanUpExpired(): Promise<number> {
    return this.#server.cleanUpExpiredUploads();
  }

  /** Sweeps expired uploads every `intervalMs` until `stop`. */
  startCleanup(intervalMs: number): void {
    this.#sweep ??= setInterval(() => {
      this.cleanUpExpired().then(
        (removed) => removed && this.options.logger.info("expired uploads removed", { removed }),
        (error) => this.options.logger.warn("expired upload sweep failed", { error }),
      );
    }, intervalMs);
  }

  stop(): void {
    clearInterval(this.#sweep);
    this.#sweep = undefined;
  }

  async #handle(c: Context): Promise<Response> {
    const checked = await verifyChecksum(c.req.raw, this.options.spoolDir);
    if ("refused" in checked) return checked.refused;
    const notes: RequestNotes = { metadata: commandMetadata(c) };
    this.#notes.set(checked.verified, notes);
    try {
      const response = await this.#server.handleWeb(checked.verified);
      if (notes.failure !== undefined) {
        const answer = problemResponse(c, problemFor(notes.failure, this.options.logger));
        answer.headers.set("tus-resumable", "1.0.0");
        return answer;
      }
      if (c.req.method !== "OPTIONS") return response;
      const options = new Response(response.body, response);
      options.headers.set("tus-checksum-algorithm", CHECKSUM_ALGORITHMS.join(","));
      return options;
    } finally {
      await checked.cleanUp();
    }
  }

  /** Runs a hook; a failure is noted for the route's answer and stops @tus/server's handling. */
  async #guard<T>(request: Request, hook: () => Promise<T>): Promise<T> {
    try {
      return await hook();
    } catch (error) {
      const notes = this.#notes.get(request);
      if (!notes) throw error;
      notes.failure = error;
      throw HANDLED;
    }
  }

  /** The locker, with an outage of the store behind it answered as 503 instead of tus's 500. */
  #outagesAnswered(request: Request, locker: Locker): Locker {
    return {
      newLock: (id) => {
        const lock = locker.newLock(id);
        return {
          lock: async (stop, requestRelease) => {
            try {
              await lock.lock(stop, requestRelease);
            } catch (error) {
              if (!(error instanceof BackingServiceUnavailableError)) throw error;
              await this.#guard(request, () => Promise.reject(error));
            }
          },
          unlock: () => lock.unlock(),
        };
      },
    };
  }

  async #onCreate(upload: Upload): Promise<Record<string, never>> {
    const metadata = upload.metadata ?? {};
    await this.options.commands.checkStart({
      videoId: videoIdOf(metadata),
      fileName: metadata.filename ?? undefined,
      fileType: metadata.filetype ?? undefined,
    });
    return {};
  }

  async #onFinish(request: Request, upload: Upload): Promise<Record<string, never>> {
    const { datastore } = this.options;
    try {
      await this.options.commands.finish({
        uploadId: upload.id,
        videoId: videoIdOf(upload.metadata ?? {}),
        body: ReadableStream.from(await datastore.read(upload.id)),
        size: upload.size ?? upload.offset,
        metadata: this.#notes.get(request)?.metadata ?? {},
      });
      return {};
    } finally {
      // Accepted or refused, the bytes now live in blob storage or nowhere.
      await datastore.remove(upload.id).catch((error) =>
        this.options.logger.warn("finished tus upload not removed", { upload_id: upload.id, error })
      );
    }
  }
}

function videoIdOf(metadata: Record<string, string | null>): string {
  const parsed = v.safeParse(Id, metadata.video_id);
  if (parsed.success) return parsed.output;
  throw new ValidationError([
    { path: "Upload-Metadata.video_id", message: "name the video: video_id <base64 UUID>" },
  ]);
}
