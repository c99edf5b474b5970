/**
 * The transcode decider. It guards the one-job-per-upload rule: an attempt starts only from a
 * pending request or over an attempt whose lease ran out, and only the current attempt may report
 * progress or an outcome, so a worker that lost its lease learns it at its next append.
 */
import type { Decider } from "../shared/decider.ts";
import { ConflictError, NotFoundError } from "../shared/errors.ts";
import type {
  TranscodeEvent,
  TranscodeOutputs,
  TranscodeRequestedData,
} from "./transcode-events.ts";

export type TranscodeStatus = "none" | "requested" | "running" | "completed" | "failed";

export interface TranscodeState {
  status: TranscodeStatus;
  request?: TranscodeRequestedData;
  /** The latest attempt's number (0 before the first). */
  attempt: number;
  lease_until?: string;
}

export type TranscodeCommand =
  | { type: "RequestTranscode"; data: TranscodeRequestedData }
  | { type: "Retranscode"; data: { upload_id: string; requested_at: string } }
  | {
    type: "StartTranscode";
    data: { upload_id: string; worker: string; now: string; lease_until: string };
  }
  | {
    type: "ReportProgress";
    data: { upload_id: string; attempt: number; percent: number; lease_until: string };
  }
  | {
    type: "CompleteTranscode";
    data: { upload_id: string; attempt: number; outputs: TranscodeOutputs; completed_at: string };
  }
  | {
    type: "FailTranscode";
    data: { upload_id: string; attempt: number; reason: string; failed_at: string };
  };

/** Whether a worker may start an attempt now: a pending request, or a running one whose lease is over. */
export function canStart(state: TranscodeState, now: string): boolean {
  return state.status === "requested" ||
    (state.status === "running" && Date.parse(state.lease_until!) <= Date.parse(now));
}

function current(state: TranscodeState, attempt: number): void {
  if (state.status !== "running" || state.attempt !== attempt) {
    throw new ConflictError(`attempt ${attempt} is no longer the running one`);
  }
}

export const transcodeDecider: Decider<TranscodeCommand, TranscodeEvent, TranscodeState> = {
  initialState: () => ({ status: "none", attempt: 0 }),

  evolve(state, event) {
    switch (event.type) {
      case "TranscodeRequested":
        return { ...state, status: "requested", request: event.data, lease_until: undefined };
      case "TranscodeStarted":
        return {
          ...state,
          status: "running",
          attempt: event.data.attempt,
          lease_until: event.data.lease_until,
        };
      case "TranscodeProgressed":
        return { ...state, lease_until: event.data.lease_until };
      case "TranscodeCompleted":
        return { ...state, status: "completed", lease_until: undefined };
      case "TranscodeFailed":
        return { ...state, status: "failed", lease_until: undefined };
    }
  },

  decide(command, state) {
    const { upload_id } = command.data;
    switch (command.type) {
      case "RequestTranscode":
        // The reactor may see an upload again (a replay): the first request stands.
        return state.status === "none" ? [{ type: "TranscodeRequested", data: command.data }] : [];
      case "Retranscode":
        if (state.status === "none") throw new NotFoundError(`no transcode of upload ${upload_id}`);
        if (state.status === "requested" || state.status === "running") {
          throw new ConflictError(`upload ${upload_id} is being transcoded already`);
        }
        return [{
          type: "TranscodeRequested",
          data: {
            ...state.request!,
            reason: "retranscode",
            requested_at: command.data.requested_at,
          },
        }];
      case "StartTranscode": {
        if (!canStart(state, command.data.now)) return [];
        const { worker, now, lease_until } = command.data;
        return [{
          type: "TranscodeStarted",
          data: { upload_id, attempt: state.attempt + 1, worker, lease_until, started_at: now },
        }];
      }
      case "ReportProgress":
        current(state, command.data.attempt);
        return [{ type: "TranscodeProgressed", data: command.data }];
      case "CompleteTranscode":
        current(state, command.data.attempt);
        return [{
          type: "TranscodeCompleted",
          data: { ...command.data, video_id: state.request!.video_id },
        }];
      case "FailTranscode":
        current(state, command.data.attempt);
        return [{ type: "TranscodeFailed", data: command.data }];
    }
  },
};
