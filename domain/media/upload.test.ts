import { deciderSpec } from "../shared/decider-spec.ts";
import { ConflictError } from "../shared/errors.ts";
import { uploadDecider } from "./upload.ts";
import type { UploadEvent, VideoUploadedData } from "./upload-events.ts";

const spec = deciderSpec(uploadDecider);
const upload_id = "0b7f3c1e-5a4d-4c1b-9e8f-1a2b3c4d5e6f";
const video_id = "6f1c1f9e-3c53-4b8e-9d3a-2f7f5a1f0a01";
const video: VideoUploadedData = {
  upload_id,
  video_id,
  key: `uploads/${video_id}/${upload_id}/source`,
  size_bytes: 41_785,
  checksum_sha256: "a".repeat(64),
  mime_type: "video/mp4",
  media_kind: "video",
  duration_sec: 2,
  format_name: "mov,mp4,m4a,3gp,3g2,mj2",
  streams: [{ index: 0, codec_type: "video", codec_name: "h264", width: 160, height: 120 }],
  uploaded_at: "2026-11-21T14:00:00.000Z",
};
const audio: VideoUploadedData = {
  ...video,
  mime_type: "audio/mpeg",
  media_kind: "audio",
  format_name: "mp3",
  streams: [{ index: 0, codec_type: "audio", codec_name: "mp3", channels: 1, sample_rate: 44100 }],
};
const uploaded: UploadEvent = { type: "VideoUploaded", data: video };
const rejected: UploadEvent = {
  type: "UploadRejected",
  data: { upload_id, video_id, reason: "the file is truncated", size_bytes: 10 },
};

Deno.test("probed media of the item's kind is recorded", () => {
  spec.given([]).when({ type: "RecordUpload", data: video, content_type: "movie" })
    .then([uploaded]);
  spec.given([]).when({ type: "RecordUpload", data: audio, content_type: "audio_track" })
    .then([{ type: "VideoUploaded", data: audio }]);
});

Deno.test("media of the wrong kind for the item is rejected with the reason", () => {
  const reject = (reason: string, size_bytes: number) => ({
    type: "UploadRejected" as const,
    data: { upload_id, video_id, reason, size_bytes },
  });
  spec.given([]).when({ type: "RecordUpload", data: audio, content_type: "episode" })
    .then([
      reject("this item (episode) needs a video stream, and this file has audio only", 41_785),
    ]);
  spec.given([]).when({ type: "RecordUpload", data: video, content_type: "audio_track" })
    .then([reject("an audio track takes an audio file, and this file has a video stream", 41_785)]);
});

Deno.test("a rejection is recorded, and an upload is decided once", () => {
  spec.given([]).when({ type: "RejectUpload", data: rejected.data }).then([rejected]);
  spec.given([uploaded]).when({ type: "RejectUpload", data: rejected.data })
    .thenThrows(ConflictError, "already uploaded");
  spec.given([rejected]).when({ type: "RecordUpload", data: video, content_type: "movie" })
    .thenThrows(ConflictError, "already rejected");
});
