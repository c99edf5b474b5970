/**
 * Test helpers for the transcoding and delivery tests: the whole service with media delivery on
 * a scratch blob directory, and uploads recorded the way the upload commands record them.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FsBlobStorage } from "../../adapters/blob-storage/fs-blob-storage.ts";
import { ffmpegPath } from "../../adapters/ffmpeg/binary.ts";
import { FfmpegTranscoder } from "../../adapters/ffmpeg/transcoder.ts";
import { storeTestClip } from "../../adapters/ffmpeg/transcoder-testing.ts";
import { jsonLogger } from "../../adapters/logging/json-logger.ts";
import { SecureLinkSigner } from "../../adapters/media-signing/secure-link.ts";
import { type TestService, testService } from "../../adapters/testing/service.ts";
import { uploadStream } from "../../domain/media/upload-events.ts";
import type { EventStore } from "../../domain/ports/event-store.ts";
import { TranscodeReactor } from "./reactor.ts";
import type { Metrics } from "../../domain/ports/metrics.ts";

export const signer = new SecureLinkSigner([{ kid: "t1", secret: "a-test-secret-of-some-length" }]);

export interface MediaTestService extends TestService {
  storage: FsBlobStorage;
  /** A reactor on this service's store; stopped at the end. */
  reactor(
    options?: { concurrency?: number; leaseMs?: number; metrics?: Metrics },
  ): TranscodeReactor;
}

export async function withMediaService(fn: (service: MediaTestService) => Promise<void>) {
  const root = await mkdtemp(join(tmpdir(), "media-test-"));
  const storage = await FsBlobStorage.open(root);
  const reactors: TranscodeReactor[] = [];
  const service = await testService({
    media: { storage, signer, urlTtlSec: 600, delivery: "proxy" },
  });
  const transcoder = new FfmpegTranscoder({ storage, ffmpeg: () => ffmpegPath() });
  try {
    await fn({
      ...service,
      storage,
      reactor({ concurrency = 2, leaseMs = 5_000, metrics } = {}) {
        const reactor = new TranscodeReactor({
          store: service.store,
          readModels: service.sql,
          storage,
          transcoder,
          logger: jsonLogger("silent"),
          concurrency,
          leaseMs,
          segmentSec: 4,
          pollMs: 100,
          metrics,
        });
        reactors.push(reactor);
        reactor.start();
        return reactor;
      },
    });
  } finally {
    await Promise.all(reactors.map((r) => r.stop()));
    await storage.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** Stores a clip and records its VideoUploaded, as a finished upload does. */
export async function recordUpload(
  store: EventStore,
  storage: FsBlobStorage,
  options: { kind: "video" | "audio"; seconds: number; notMedia?: boolean },
): Promise<{ upload_id: string; video_id: string }> {
  const upload_id = crypto.randomUUID();
  const video_id = crypto.randomUUID();
  const key = `uploads/${upload_id}/source`;
  if (options.notMedia) {
    await storage.put(key, new TextEncoder().encode("plain text"), { contentType: "video/mp4" });
  } else {
    await storeTestClip(storage, key, { kind: options.kind, seconds: options.seconds });
  }
  const info = await storage.head(key);
  const video = {
    index: 0,
    codec_type: "video" as const,
    codec_name: "h264",
    width: 640,
    height: 360,
  };
  const audio = { index: 1, codec_type: "audio" as const, codec_name: "aac", channels: 2 };
  await store.appendToStream(uploadStream(upload_id), [{
    event_id: crypto.randomUUID(),
    type: "VideoUploaded",
    schema_version: 1,
    data: {
      upload_id,
      video_id,
      key,
      size_bytes: info.size,
      checksum_sha256: info.checksum_sha256!,
      mime_type: info.content_type,
      media_kind: options.kind,
      duration_sec: options.seconds,
      format_name: options.kind === "video" ? "mov,mp4,m4a,3gp,3g2,mj2" : "flac",
      streams: options.kind === "video" ? [video, audio] : [{ ...audio, index: 0 }],
      uploaded_at: new Date().toISOString(),
    },
  }], { expected_version: "no_stream" });
  return { upload_id, video_id };
}
