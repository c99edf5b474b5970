import assert from "node:assert/strict";
import { migrate } from "../../adapters/postgres/migrate.ts";
import { migrations } from "../../adapters/postgres/migrations/index.ts";
import { openPglite } from "../../adapters/postgres/pglite-client.ts";
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { eventRecorder } from "../runtime/testing.ts";
import { mediaProjection } from "./projection.ts";

const upload = crypto.randomUUID();
const video = crypto.randomUUID();
const recorded = eventRecorder();

const outputs = {
  output_prefix: `renditions/${upload}/1/`,
  master_playlist_key: `renditions/${upload}/1/hls/master.m3u8`,
  variants: [],
  audio_renditions: [],
};
const transcode = `transcode-${upload}`;
const history: RecordedEvent[] = [
  recorded(`upload-${upload}`, 1, "VideoUploaded", {
    upload_id: upload,
    video_id: video,
    key: `uploads/${upload}`,
    size_bytes: 1000,
    checksum_sha256: "0".repeat(64),
    mime_type: "video/mp4",
    media_kind: "video",
    duration_sec: 3,
    format_name: "mov,mp4",
    streams: [
      { index: 0, codec_type: "video", codec_name: "h264", width: 640, height: 360 },
      { index: 1, codec_type: "audio", codec_name: "aac", channels: 2 },
    ],
    uploaded_at: "2026-01-01T00:00:00.000Z",
  }),
  recorded(transcode, 1, "TranscodeRequested", {
    upload_id: upload,
    video_id: video,
    source_key: `uploads/${upload}`,
    source: { media_kind: "video", duration_sec: 3, width: 640, height: 360, has_audio: true },
    reason: "upload",
    requested_at: "2026-01-01T00:00:01.000Z",
  }),
  recorded(transcode, 2, "TranscodeStarted", {
    upload_id: upload,
    attempt: 1,
    worker: "w",
    lease_until: "2026-01-01T00:01:00.000Z",
    started_at: "2026-01-01T00:00:02.000Z",
  }),
  recorded(transcode, 3, "TranscodeProgressed", {
    upload_id: upload,
    attempt: 1,
    percent: 50,
    lease_until: "2026-01-01T00:02:00.000Z",
  }),
  recorded(transcode, 4, "TranscodeCompleted", {
    upload_id: upload,
    attempt: 1,
    video_id: video,
    outputs,
    completed_at: "2026-01-01T00:00:05.000Z",
  }),
];

async function snapshot(sql: SqlExecutor) {
  return {
    uploads: await sql.query(`SELECT * FROM media_test.uploads ORDER BY upload_id`),
    transcodes: await sql.query(`SELECT * FROM media_test.transcodes ORDER BY upload_id`),
  };
}

Deno.test("the media projection: the same events applied twice give the same read model", async () => {
  const sql = await openPglite();
  await migrate(sql, migrations);
  await sql.exec("CREATE SCHEMA media_test");
  await sql.transaction((tx) => mediaProjection.setup(tx, "media_test"));

  await sql.transaction((tx) => mediaProjection.apply(tx, "media_test", history.slice(0, 4)));
  const running = await snapshot(sql);
  assert.equal(running.transcodes[0]!.status, "running");
  assert.equal(running.transcodes[0]!.percent, 50);

  await sql.transaction((tx) => mediaProjection.apply(tx, "media_test", history));
  const once = await snapshot(sql);
  await sql.transaction((tx) => mediaProjection.apply(tx, "media_test", history));
  assert.deepEqual(await snapshot(sql), once);
  await sql.transaction((tx) => mediaProjection.apply(tx, "media_test", history.slice(1, 3)));
  assert.deepEqual(await snapshot(sql), once);

  assert.deepEqual(once.uploads.map((u) => [u.video_id, u.width, u.height, u.has_audio]), [
    [video, 640, 360, true],
  ]);
  const [row] = once.transcodes;
  assert.equal(row!.status, "completed");
  assert.equal(row!.video_id, video);
  assert.equal(row!.attempt, 1);
  assert.deepEqual(row!.outputs, outputs);
  await sql.close();
});
