import { deciderSpec } from "../shared/decider-spec.ts";
import { ConflictError, NotFoundError } from "../shared/errors.ts";
import { transcodeDecider } from "./transcode.ts";
import type { TranscodeEvent, TranscodeRequestedData } from "./transcode-events.ts";

const spec = deciderSpec(transcodeDecider);
const upload_id = "6f1c1f9e-3c53-4b8e-9d3a-2f7f5a1f0a02";
const request: TranscodeRequestedData = {
  upload_id,
  video_id: "6f1c1f9e-3c53-4b8e-9d3a-2f7f5a1f0a01",
  source_key: "uploads/x/source",
  source: { media_kind: "video", duration_sec: 3, width: 640, height: 360, has_audio: true },
  reason: "upload",
  requested_at: "2026-01-01T00:00:00.000Z",
};
const requested: TranscodeEvent = { type: "TranscodeRequested", data: request };
const started: TranscodeEvent = {
  type: "TranscodeStarted",
  data: {
    upload_id,
    attempt: 1,
    worker: "a",
    lease_until: "2026-01-01T00:00:30.000Z",
    started_at: "2026-01-01T00:00:00.000Z",
  },
};
const outputs = { output_prefix: "renditions/x/1/", variants: [], audio_renditions: [] };
const completed: TranscodeEvent = {
  type: "TranscodeCompleted",
  data: {
    upload_id,
    attempt: 1,
    video_id: request.video_id,
    outputs,
    completed_at: "2026-01-01T00:01:00.000Z",
  },
};
const start = (now: string, worker = "b", lease_until = "2026-01-01T00:10:00.000Z") => ({
  type: "StartTranscode" as const,
  data: { upload_id, worker, now, lease_until },
});

Deno.test("an upload is requested once, however often the reactor sees it", () => {
  spec.given([]).when({ type: "RequestTranscode", data: request }).then([requested]);
  spec.given([requested]).when({ type: "RequestTranscode", data: request }).then([]);
  spec.given([requested, started, completed]).when({ type: "RequestTranscode", data: request })
    .then([]);
});

Deno.test("an attempt starts from a request, or over a running attempt whose lease is over", () => {
  spec.given([requested]).when(start("2026-01-01T00:00:00.000Z", "a", "2026-01-01T00:00:30.000Z"))
    .then([started]);
  spec.given([requested, started]).when(start("2026-01-01T00:00:10.000Z")).then([]);
  spec.given([requested, started]).when(start("2026-01-01T00:00:30.000Z")).then([{
    type: "TranscodeStarted",
    data: {
      upload_id,
      attempt: 2,
      worker: "b",
      lease_until: "2026-01-01T00:10:00.000Z",
      started_at: "2026-01-01T00:00:30.000Z",
    },
  }]);
  spec.given([requested, started, completed]).when(start("2026-01-01T01:00:00.000Z")).then([]);
  spec.given([]).when(start("2026-01-01T01:00:00.000Z")).then([]);
});

Deno.test("only the current attempt reports progress and its outcome", () => {
  const progress = { upload_id, attempt: 1, percent: 40, lease_until: "2026-01-01T00:00:40.000Z" };
  spec.given([requested, started]).when({ type: "ReportProgress", data: progress })
    .then([{ type: "TranscodeProgressed", data: progress }]);
  spec.given([requested, started]).when({
    type: "ReportProgress",
    data: { ...progress, attempt: 2 },
  })
    .thenThrows(ConflictError, "no longer");
  spec.given([requested, started]).when({
    type: "CompleteTranscode",
    data: { upload_id, attempt: 1, outputs, completed_at: "2026-01-01T00:01:00.000Z" },
  }).then([completed]);
  spec.given([requested, started, completed]).when({
    type: "FailTranscode",
    data: { upload_id, attempt: 1, reason: "late", failed_at: "2026-01-01T00:02:00.000Z" },
  }).thenThrows(ConflictError);
});

Deno.test("a re-transcode asks again once the last one has finished", () => {
  const again = {
    type: "Retranscode" as const,
    data: { upload_id, requested_at: "2026-01-02T00:00:00.000Z" },
  };
  spec.given([requested, started, completed]).when(again).then([{
    type: "TranscodeRequested",
    data: { ...request, reason: "retranscode", requested_at: "2026-01-02T00:00:00.000Z" },
  }]);
  spec.given([requested, started]).when(again).thenThrows(ConflictError, "already");
  spec.given([]).when(again).thenThrows(NotFoundError);
});
