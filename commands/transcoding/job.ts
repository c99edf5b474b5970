/**
 * One transcode attempt: plan from the request, transcode under the attempt's own prefix while the
 * lease keeper renews the lease, then record the outcome. A job that lost its lease or was stopped
 * by a shutdown records nothing: the events say it is unfinished, and it runs again.
 */
import type { BlobStorage } from "../../domain/ports/blob-storage.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { Transcoder } from "../../domain/ports/transcoder.ts";
import { planTranscode } from "../../domain/transcoding/ladder.ts";
import type {
  TranscodeOutputs,
  TranscodeRequestedData,
} from "../../domain/transcoding/transcode-events.ts";
import { handleCommand } from "../handle-command.ts";
import { REACTOR_METADATA, transcodeAggregate } from "./aggregate.ts";
import { LeaseKeeper } from "./lease.ts";

export interface JobDeps {
  store: EventStore;
  storage: BlobStorage;
  transcoder: Transcoder;
  logger: Logger;
  leaseMs: number;
  segmentSec?: number;
}

/** How an attempt ended here: recorded as completed or failed, or stopped (it runs again). */
export type JobEnd = "completed" | "failed" | "stopped";

export function outputPrefix(uploadId: string, attempt: number): string {
  return `renditions/${uploadId}/${attempt}/`;
}

export async function runTranscodeJob(
  deps: JobDeps,
  job: { request: TranscodeRequestedData; attempt: number },
  shutdown: AbortSignal,
): Promise<JobEnd> {
  const { upload_id } = job.request;
  const attempt = { upload_id, attempt: job.attempt };
  const keeper = new LeaseKeeper(deps.store, attempt, deps.leaseMs);
  const signal = AbortSignal.any([shutdown, keeper.lost.signal]);
  const output_prefix = outputPrefix(upload_id, job.attempt);
  let outcome: { type: "CompleteTranscode"; outputs: TranscodeOutputs } | {
    type: "FailTranscode";
    reason: string;
  };
  try {
    const plan = planTranscode(job.request.source, { segmentSec: deps.segmentSec });
    // Leftovers of an attempt cut short by a crash would otherwise mix with this one's outputs.
    await deps.storage.deletePrefix(output_prefix);
    const result = await deps.transcoder.transcode(
      { source_key: job.request.source_key, output_prefix, plan },
      { onProgress: (percent) => keeper.progress(percent), signal },
    );
    outcome = { type: "CompleteTranscode", outputs: { output_prefix, ...result } };
  } catch (error) {
    if (signal.aborted) {
      deps.logger.info("transcode stopped", { ...attempt, reason: String(signal.reason) });
      return "stopped";
    }
    outcome = {
      type: "FailTranscode",
      reason: error instanceof Error ? error.message : String(error),
    };
    deps.logger.warn("transcode failed", { ...attempt, reason: outcome.reason });
  } finally {
    await keeper.stop();
  }
  if (keeper.lost.signal.aborted) return "stopped";
  const now = new Date().toISOString();
  await handleCommand(
    deps.store,
    transcodeAggregate,
    upload_id,
    outcome.type === "CompleteTranscode"
      ? {
        type: "CompleteTranscode",
        data: { ...attempt, outputs: outcome.outputs, completed_at: now },
      }
      : { type: "FailTranscode", data: { ...attempt, reason: outcome.reason, failed_at: now } },
    { metadata: REACTOR_METADATA },
  );
  return outcome.type === "CompleteTranscode" ? "completed" : "failed";
}
