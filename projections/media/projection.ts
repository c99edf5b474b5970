/**
 * The media read model: each upload's source facts and its transcode's state and outputs. Playback
 * reads it to answer URLs or the state; the transcode reactor reads it as its to-do list (uploads
 * without a request, requests without a live attempt). Writes are guarded by stream version, so
 * replays change nothing.
 */
import { uploadEventTypes, type VideoUploadedData } from "../../domain/media/upload-events.ts";
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import {
  type TranscodeEvent,
  transcodeEventTypes,
} from "../../domain/transcoding/transcode-events.ts";
import type { EventProjection } from "../runtime/projection.ts";

export const mediaProjection: EventProjection = {
  source: "events",
  name: "media",
  version: 1,
  tables: ["uploads", "transcodes"],
  eventTypes: [
    "VideoUploaded",
    "TranscodeRequested",
    "TranscodeStarted",
    "TranscodeProgressed",
    "TranscodeCompleted",
    "TranscodeFailed",
  ],

  async setup(tx, schema) {
    await tx.exec(`
      CREATE TABLE ${schema}.uploads (
        upload_id text PRIMARY KEY,
        video_id text NOT NULL,
        source_key text NOT NULL,
        media_kind text NOT NULL,
        duration_sec double precision NOT NULL,
        width integer,
        height integer,
        has_audio boolean NOT NULL,
        uploaded_at timestamptz NOT NULL
      );
      CREATE INDEX ON ${schema}.uploads (video_id, uploaded_at DESC);
      CREATE TABLE ${schema}.transcodes (
        upload_id text PRIMARY KEY,
        video_id text NOT NULL,
        status text NOT NULL,
        attempt integer NOT NULL DEFAULT 0,
        lease_until timestamptz,
        percent double precision NOT NULL DEFAULT 0,
        reason text,
        outputs jsonb,
        version bigint NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX ON ${schema}.transcodes (status, lease_until);
    `);
  },

  async apply(tx, schema, events) {
    for (const event of events) await applyOne(tx, schema, event);
  },
};

/** Columns each transcode event sets (beside status, version and updated_at). */
function transcodeChanges(event: TranscodeEvent): Record<string, unknown> {
  switch (event.type) {
    case "TranscodeRequested":
      return { status: "requested", percent: 0, reason: null };
    case "TranscodeStarted": {
      const { attempt, lease_until } = event.data;
      return { status: "running", attempt, lease_until, percent: 0 };
    }
    case "TranscodeProgressed":
      return { percent: event.data.percent, lease_until: event.data.lease_until };
    case "TranscodeCompleted":
      return { status: "completed", percent: 100, lease_until: null, outputs: event.data.outputs };
    case "TranscodeFailed":
      return { status: "failed", lease_until: null, reason: event.data.reason };
  }
}

async function insertUpload(tx: SqlExecutor, schema: string, data: VideoUploadedData) {
  const video = data.streams.find((s) => s.codec_type === "video");
  await tx.query(
    `INSERT INTO ${schema}.uploads VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (upload_id) DO NOTHING`,
    [
      data.upload_id,
      data.video_id,
      data.key,
      data.media_kind,
      data.duration_sec,
      video?.width ?? null,
      video?.height ?? null,
      data.streams.some((s) => s.codec_type === "audio"),
      data.uploaded_at,
    ],
  );
}

async function applyOne(tx: SqlExecutor, schema: string, recorded: RecordedEvent): Promise<void> {
  if (recorded.type === "VideoUploaded") {
    const event = uploadEventTypes.fromStored(recorded);
    if (event.type === "VideoUploaded") await insertUpload(tx, schema, event.data);
    return;
  }
  const event = transcodeEventTypes.fromStored(recorded);
  const changes = transcodeChanges(event);
  const columns = Object.keys(changes);
  const values = columns.map((c) => c === "outputs" ? JSON.stringify(changes[c]) : changes[c]);
  const params = [event.data.upload_id, recorded.stream_version, recorded.recorded_at, ...values];
  const set = columns.map((c, i) => `${c} = $${i + 4}`).join(", ");
  if (event.type === "TranscodeRequested") {
    // A request opens the row (the first) or reopens it (a re-transcode); outputs stay servable.
    await tx.query(
      `INSERT INTO ${schema}.transcodes (upload_id, version, updated_at, video_id, status)
       VALUES ($1, $2, $3, $4, 'requested') ON CONFLICT (upload_id) DO NOTHING`,
      [event.data.upload_id, 0, recorded.recorded_at, event.data.video_id],
    );
  }
  await tx.query(
    `UPDATE ${schema}.transcodes SET version = $2, updated_at = $3, ${set}
      WHERE upload_id = $1 AND version < $2`,
    params,
  );
}
