/**
 * What upload tests share: the service with uploads into a local blob store in a temporary
 * directory, probed by the real ffprobe, and sample media made by ffmpeg.
 */
import type { Hono } from "hono";
import { FsBlobStorage } from "../../adapters/blob-storage/fs-blob-storage.ts";
import { FfprobeMediaProbe } from "../../adapters/ffmpeg/probe.ts";
import { blobSource } from "../../adapters/ffmpeg/probe-source.ts";
import { makeSample, type SampleName } from "../../adapters/ffmpeg/test-media.ts";
import { type TestService, testService } from "../../adapters/testing/service.ts";
import type { BlobStorage } from "../../domain/ports/blob-storage.ts";
import type { UploadCommands } from "./upload-commands.ts";

export interface UploadFixture {
  api: TestService;
  storage: BlobStorage;
  /** A scratch directory for sample files. */
  dir: string;
  /** Creates a catalog item and answers its id. */
  createVideo(contentType?: string): Promise<string>;
  /** A sample made by ffmpeg, as bytes. */
  sample(name: SampleName): Promise<Uint8Array<ArrayBuffer>>;
  /** Every stored object of the item. */
  storedKeys(videoId: string): Promise<string[]>;
}

export async function withUploadService(
  options: {
    maxBytes?: number;
    resumable?: (commands: UploadCommands) => Hono;
    /** The blob storage to upload into; a local one in the scratch directory when absent. */
    storage?: () => Promise<BlobStorage>;
  },
  fn: (fixture: UploadFixture) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "uploads-test-" });
  const storage = await (options.storage?.() ?? FsBlobStorage.open(`${dir}/blobs`));
  const probe = new FfprobeMediaProbe({
    ffprobePath: Deno.env.get("FFPROBE_PATH"),
    locate: blobSource(storage),
  });
  const api = await testService({
    uploads: {
      storage,
      probe,
      maxBytes: options.maxBytes ?? 1 << 20,
      resumable: options.resumable,
    },
  });
  try {
    await fn({
      api,
      storage,
      dir,
      async createVideo(content_type = "movie") {
        const created = await api.call("POST", "/v1/videos", { content_type, title: "Sample" });
        if (created.status !== 201) throw new Error(`create answered ${created.status}`);
        return String(created.body.id);
      },
      async sample(name) {
        return await Deno.readFile(await makeSample(dir, name));
      },
      async storedKeys(videoId) {
        const keys: string[] = [];
        for await (const { key } of storage.list(`uploads/${videoId}/`)) keys.push(key);
        return keys;
      },
    });
  } finally {
    await storage.close();
    await Deno.remove(dir, { recursive: true });
  }
}
