/** Media as a finished transcode leaves it, for tests of media delivery and its clients. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BlobStorage } from "../../domain/ports/blob-storage.ts";
import type { EventStore, JsonObject } from "../../domain/ports/event-store.ts";
import { expiryFor, mediaLink } from "../../read-api/media/media-urls.ts";
import { FsBlobStorage } from "../blob-storage/fs-blob-storage.ts";
import { SecureLinkSigner } from "../media-signing/secure-link.ts";
import { type TestService, testService } from "./service.ts";

/** The bytes of the stored progressive file (the poster is their first 100). */
export const TRANSCODED_BYTES = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251);

/** A finished transcode whose outputs are stored: a progressive file, a poster, a master playlist. */
export async function storeCompletedTranscode(store: EventStore, storage: BlobStorage) {
  const upload_id = crypto.randomUUID();
  const video_id = crypto.randomUUID();
  const prefix = `renditions/${upload_id}/1/`;
  await storage.put(`${prefix}progressive.mp4`, TRANSCODED_BYTES, { contentType: "video/mp4" });
  await storage.put(`${prefix}poster.jpg`, TRANSCODED_BYTES.slice(0, 100), {
    contentType: "image/jpeg",
  });
  const playlist =
    '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=2x2,CODECS="avc1.4d401e"\n240p/index.m3u8\n';
  await storage.put(`${prefix}hls/master.m3u8`, new TextEncoder().encode(playlist), {
    contentType: "application/vnd.apple.mpegurl",
  });
  const now = new Date().toISOString();
  const event = (type: string, data: JsonObject) => ({
    event_id: crypto.randomUUID(),
    type,
    schema_version: 1,
    data,
  });
  await store.appendToStream(`upload-${upload_id}`, [event("VideoUploaded", {
    upload_id,
    video_id,
    key: `uploads/${upload_id}`,
    size_bytes: 1,
    checksum_sha256: "0".repeat(64),
    mime_type: "video/mp4",
    media_kind: "video",
    duration_sec: 1,
    format_name: "mp4",
    streams: [{ index: 0, codec_type: "video", codec_name: "h264", width: 2, height: 2 }],
    uploaded_at: now,
  })]);
  await store.appendToStream(`transcode-${upload_id}`, [
    event("TranscodeRequested", {
      upload_id,
      video_id,
      source_key: "x",
      source: { media_kind: "video", duration_sec: 1, width: 2, height: 2, has_audio: false },
      reason: "upload",
      requested_at: now,
    }),
    event("TranscodeStarted", {
      upload_id,
      attempt: 1,
      worker: "w",
      lease_until: now,
      started_at: now,
    }),
    event("TranscodeCompleted", {
      upload_id,
      attempt: 1,
      video_id,
      completed_at: now,
      outputs: {
        output_prefix: prefix,
        master_playlist_key: `${prefix}hls/master.m3u8`,
        variants: [],
        progressive_key: `${prefix}progressive.mp4`,
        poster_key: `${prefix}poster.jpg`,
        audio_renditions: [],
      },
    }),
  ]);
  return { upload_id, video_id, prefix };
}

const signer = new SecureLinkSigner([{ kid: "l1", secret: "lean-path-test-secret" }]);

/** A service with media on a fresh directory store, and a signed URL of a stored MP4. */
export async function withSignedMp4(fn: (service: TestService, mp4: string) => Promise<void>) {
  const root = await mkdtemp(join(tmpdir(), "lean-media-test-"));
  const storage = await FsBlobStorage.open(root);
  try {
    const service = await testService({
      media: { storage, signer, urlTtlSec: 600, delivery: "proxy" },
    });
    const { video_id, prefix } = await storeCompletedTranscode(service.store, storage);
    const link = mediaLink(signer, video_id, prefix, expiryFor(Date.now(), 600));
    await fn(service, link.url(`${prefix}progressive.mp4`));
  } finally {
    await storage.close();
    await rm(root, { recursive: true, force: true });
  }
}
