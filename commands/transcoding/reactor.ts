/**
 * The transcode reactor (transcode-on-upload): asks a transcode for every uploaded source and runs
 * up to `concurrency` attempts in this process. Several processes may run it: an attempt starts only
 * through an expected-version append on the upload's transcode stream, so one upload never has two
 * live attempts, and an attempt whose worker died (its lease ran out) is started again.
 */
import { hostname } from "node:os";
import type { Metrics } from "../../domain/ports/metrics.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { handleCommand } from "../handle-command.ts";
import { REACTOR_METADATA, transcodeAggregate } from "./aggregate.ts";
import { type JobDeps, type JobEnd, runTranscodeJob } from "./job.ts";
import { transcodeWorkerMetrics } from "./metrics.ts";
import { transcodesToStart, uploadsWithoutTranscode, type UploadToTranscode } from "./todo.ts";

export interface ReactorOptions extends JobDeps {
  /** Where the media read model lives. */
  readModels: SqlExecutor;
  /** Attempts this process runs at once. */
  concurrency: number;
  /** How often it looks for work (default 500 ms). */
  pollMs?: number;
  /** Running jobs and job durations (/metrics). */
  metrics?: Metrics;
}

export class TranscodeReactor {
  readonly worker = `${hostname()}:${crypto.randomUUID().slice(0, 8)}`;
  readonly #running = new Map<string, Promise<void>>();
  readonly #shutdown = new AbortController();
  #timer?: ReturnType<typeof setInterval>;
  #ticking?: Promise<void>;

  readonly #observe?: ReturnType<typeof transcodeWorkerMetrics>;

  constructor(private readonly options: ReactorOptions) {
    if (options.metrics) {
      this.#observe = transcodeWorkerMetrics(options.metrics, () => this.#running.size);
    }
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.#ticking ??= this.tick()
        .catch((error) =>
          this.options.logger.error("transcode reactor tick failed", { error: String(error) })
        )
        .finally(() => this.#ticking = undefined);
    }, this.options.pollMs ?? 500);
  }

  /** Stops looking for work and stops the running attempts; they run again after their lease. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#shutdown.abort(new Error("the transcode reactor is stopping"));
    await this.#ticking;
    await Promise.allSettled(this.#running.values());
  }

  /** Uploads the jobs the running ones left room for; one pass. */
  async tick(): Promise<void> {
    const { readModels, concurrency } = this.options;
    for (const upload of await uploadsWithoutTranscode(readModels, 50)) await this.#request(upload);
    const free = concurrency - this.#running.size;
    if (free <= 0 || this.#shutdown.signal.aborted) return;
    const candidates = await transcodesToStart(readModels, new Date(), free + this.#running.size);
    for (const uploadId of candidates.filter((id) => !this.#running.has(id)).slice(0, free)) {
      await this.#start(uploadId);
    }
  }

  #request(upload: UploadToTranscode) {
    const { upload_id, video_id, source_key, media_kind, duration_sec, has_audio } = upload;
    return handleCommand(this.options.store, transcodeAggregate, upload_id, {
      type: "RequestTranscode",
      data: {
        upload_id,
        video_id,
        source_key,
        source: {
          media_kind,
          duration_sec,
          has_audio,
          ...(upload.width && upload.height ? { width: upload.width, height: upload.height } : {}),
        },
        reason: "upload",
        requested_at: new Date().toISOString(),
      },
    }, { metadata: REACTOR_METADATA });
  }

  async #start(uploadId: string): Promise<void> {
    const now = new Date();
    // A concurrent start makes the append conflict; the retry then sees the live lease and stops.
    const started = await handleCommand(this.options.store, transcodeAggregate, uploadId, {
      type: "StartTranscode",
      data: {
        upload_id: uploadId,
        worker: this.worker,
        now: now.toISOString(),
        lease_until: new Date(now.getTime() + this.options.leaseMs).toISOString(),
      },
    }, { metadata: REACTOR_METADATA });
    // Nothing appended: another worker holds a live lease (the read model was behind).
    if (started.events.length === 0) return;
    const job = { request: started.state.request!, attempt: started.state.attempt };
    const startedAt = performance.now();
    const ended = (end: JobEnd | "error") =>
      this.#observe?.(end, (performance.now() - startedAt) / 1000);
    const done = runTranscodeJob(this.options, job, this.#shutdown.signal)
      .then(ended)
      .catch((error) => {
        ended("error");
        this.options.logger.error("transcode job failed", {
          upload_id: uploadId,
          error: String(error),
        });
      })
      .finally(() => this.#running.delete(uploadId));
    this.#running.set(uploadId, done);
  }
}
