/**
 * Uploads in the S3 profile against a real S3 server (versitygw from ops/services): blob storage
 * in S3, probed through presigned URLs, and tus uploads kept in S3 by @tus/s3-store, in a bucket
 * of the test's own so the expiry sweep cannot touch other tests' multipart uploads.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import * as tus from "tus-js-client";
import { withUploadService } from "../../commands/uploads/testing.ts";
import { S3BlobStorage } from "../blob-storage/s3-blob-storage.ts";
import { newClient } from "../blob-storage/s3-client.ts";
import { configFrom, S3_VARIABLES } from "../blob-storage/s3-test-config.ts";
import { jsonLogger } from "../logging/json-logger.ts";
import { integrationTest } from "../testing/integration.ts";
import { s3Datastore } from "./datastores.ts";
import { TusUploads } from "./tus-uploads.ts";

/** Empties the test's bucket (whatever a failed run left) and removes it. */
async function removeBucket(client: S3Client, bucket: string): Promise<void> {
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const { Key, UploadId } of uploads.Uploads ?? []) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }));
  }
  const objects = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const { Key } of objects.Contents ?? []) {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

integrationTest({
  name: "S3 profile: simple and tus uploads land in S3, are probed there, leave no parts",
  requires: S3_VARIABLES,
  fn: async (env) => {
    const config = configFrom(env);
    const tusBucket = `tus-test-${crypto.randomUUID().slice(0, 8)}`;
    const client = newClient(config, env.S3_ENDPOINT);
    await client.send(new CreateBucketCommand({ Bucket: tusBucket }));
    const storage = new S3BlobStorage(config);
    const videoIds: string[] = [];
    let tusWith: (expiryMs: number) => TusUploads = () => {
      throw new Error("the service is not built yet");
    };
    try {
      await withUploadService({
        storage: () => Promise.resolve(storage),
        resumable: (commands) => {
          tusWith = (expiryMs) =>
            new TusUploads({
              datastore: s3Datastore({ ...config, bucket: tusBucket }, expiryMs),
              path: "/v1/uploads",
              maxBytes: 1 << 20,
              spoolDir: Deno.makeTempDirSync({ prefix: "tus-spool-" }),
              commands,
              logger: jsonLogger("silent"),
            });
          return tusWith(60_000).app();
        },
      }, async ({ api, createVideo, sample, storedKeys }) => {
        const clip = await sample("clip.mp4");

        const simpleVideo = await createVideo();
        videoIds.push(simpleVideo);
        const form = new FormData();
        form.append("file", new File([clip], "clip.mp4", { type: "video/mp4" }));
        const simple = await api.app.request(`/v1/videos/${simpleVideo}/upload`, {
          method: "POST",
          body: form,
        });
        assert.equal(simple.status, 201, await simple.clone().text());
        const uploaded = await simple.json();
        assert.equal(uploaded.media_kind, "video");
        assert.deepEqual(await storedKeys(simpleVideo), [uploaded.key]);

        const text = new TextEncoder().encode("not a video\n".repeat(100));
        const rejectedVideo = await createVideo();
        videoIds.push(rejectedVideo);
        const bad = new FormData();
        bad.append("file", new File([text], "clip.mp4", { type: "video/mp4" }));
        const refused = await api.app.request(`/v1/videos/${rejectedVideo}/upload`, {
          method: "POST",
          body: bad,
        });
        assert.equal(refused.status, 422);
        await refused.body?.cancel();
        assert.deepEqual(await storedKeys(rejectedVideo), []);

        const tusVideo = await createVideo();
        videoIds.push(tusVideo);
        const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, api.app.fetch);
        try {
          const url = await new Promise<string>((resolve, reject) => {
            const upload: tus.Upload = new tus.Upload(Buffer.from(clip), {
              endpoint: `http://127.0.0.1:${server.addr.port}/v1/uploads`,
              chunkSize: 16 * 1024,
              retryDelays: [],
              metadata: { video_id: tusVideo, filename: "clip.mp4" },
              onError: reject,
              onSuccess: () => resolve(upload.url!),
            });
            upload.start();
          });
          const uploadId = new URL(url).pathname.split("/").pop()!;
          const [event] = await api.store.readStream(`upload-${uploadId}`);
          assert.equal(event?.type, "VideoUploaded");
          assert.equal(event?.data.size_bytes, clip.length);
          assert.equal((await storedKeys(tusVideo)).length, 1);
        } finally {
          await server.shutdown();
        }
        const left = await client.send(new ListObjectsV2Command({ Bucket: tusBucket }));
        assert.deepEqual(left.Contents ?? [], [], "the finished tus upload left nothing behind");

        // An abandoned upload: created, one chunk sent, then nothing; the sweep removes its parts.
        const created = await api.app.request("/v1/uploads", {
          method: "POST",
          headers: {
            "tus-resumable": "1.0.0",
            "upload-length": "1000",
            "upload-metadata": `video_id ${btoa(tusVideo)}`,
          },
        });
        assert.equal(created.status, 201);
        const patched = await api.app.request(new URL(created.headers.get("location")!).pathname, {
          method: "PATCH",
          headers: {
            "tus-resumable": "1.0.0",
            "content-type": "application/offset+octet-stream",
            "upload-offset": "0",
          },
          body: new Uint8Array(100),
        });
        assert.equal(patched.status, 204);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        assert.ok(await tusWith(1).cleanUpExpired() >= 1);
        const swept = await client.send(new ListObjectsV2Command({ Bucket: tusBucket }));
        assert.deepEqual(swept.Contents ?? [], [], "the expired upload left nothing behind");
        const multipart = await client.send(new ListMultipartUploadsCommand({ Bucket: tusBucket }));
        assert.deepEqual(multipart.Uploads ?? [], []);
      });
    } finally {
      for (const id of videoIds) await storage.deletePrefix(`uploads/${id}/`);
      await storage.close();
      await removeBucket(client, tusBucket);
      client.destroy();
    }
  },
});
