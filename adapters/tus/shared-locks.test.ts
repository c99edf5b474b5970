/**
 * Two API processes serving the same uploads (one tus directory, one Redis): a client that resumes
 * on the second process while its old PATCH still runs on the first must not write beside it.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import type { Redis } from "ioredis";
import { withUploadService } from "../../commands/uploads/testing.ts";
import type { Leases } from "../../domain/ports/leases.ts";
import { jsonLogger } from "../logging/json-logger.ts";
import { connectRedis } from "../redis/client.ts";
import { RedisLeases } from "../redis/leases.ts";
import { RedisPubSub } from "../redis/pubsub.ts";
import { withRedisPrefix } from "../redis/testing.ts";
import { integrationTest } from "../testing/integration.ts";
import { fileDatastore } from "./datastores.ts";
import { SharedLocker } from "./shared-locker.ts";
import { TusUploads } from "./tus-uploads.ts";

const PATH = "/v1/uploads";
const tusHeaders = { "tus-resumable": "1.0.0" };

/** Two processes' tus apps over one tus directory, each taking its locks from its own `leases`. */
async function withTwoProcesses(
  redisUrl: string,
  leasesOf: (client: Redis, prefix: string) => Promise<Leases[]>,
  fn: (processes: [Hono, Hono], parts: string, createVideo: () => Promise<string>) => Promise<void>,
): Promise<void> {
  await withRedisPrefix(redisUrl, async (client, prefix) => {
    const parts = await Deno.makeTempDir({ prefix: "tus-parts-" });
    const leases = await leasesOf(client, prefix);
    const pubsubs = await Promise.all(
      leases.map(() => RedisPubSub.open(client, { prefix: `${prefix}sync:` })),
    );
    try {
      const processes: Hono[] = [];
      await withUploadService({
        resumable: (commands) => {
          leases.forEach((lease, i) => {
            const uploads = new TusUploads({
              datastore: fileDatastore(parts, 60_000),
              path: PATH,
              maxBytes: 1 << 20,
              spoolDir: Deno.makeTempDirSync({ prefix: "tus-spool-" }),
              commands,
              logger: jsonLogger("silent"),
              locker: new SharedLocker({ leases: lease, pubsub: pubsubs[i]!, retryMs: 20 }),
            });
            processes.push(new Hono().route(PATH, uploads.app()));
          });
          return processes[0]!;
        },
      }, ({ createVideo }) => fn(processes as [Hono, Hono], parts, createVideo));
    } finally {
      await Promise.all(pubsubs.map((pubsub) => pubsub.close()));
      await Deno.remove(parts, { recursive: true });
    }
  });
}

async function createUpload(app: Hono, video: string, length: number): Promise<string> {
  const created = await app.request(PATH, {
    method: "POST",
    headers: {
      ...tusHeaders,
      "upload-length": String(length),
      "upload-metadata": `video_id ${btoa(video)}`,
    },
  });
  assert.equal(created.status, 201, await created.text());
  return new URL(created.headers.get("location")!).pathname;
}

integrationTest({
  name: "tus on two processes: a HEAD on one waits until the other's running PATCH let go",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withTwoProcesses(
      REDIS_URL,
      (client, prefix) => {
        const leases = new RedisLeases(client, { prefix: `${prefix}lease:` });
        return Promise.resolve([leases, leases]);
      },
      async ([first, second], parts, createVideo) => {
        const path = await createUpload(first, await createVideo(), 4096);
        // The client sends 1,000 bytes, then its connection hangs.
        let running = true;
        const stalled = Promise.resolve(first.request(path, {
          method: "PATCH",
          headers: {
            ...tusHeaders,
            "content-type": "application/offset+octet-stream",
            "upload-offset": "0",
          },
          body: new ReadableStream({ start: (body) => body.enqueue(new Uint8Array(1_000)) }),
        })).finally(() => running = false);
        const id = path.split("/").pop()!;
        while ((await Deno.stat(`${parts}/${id}`)).size < 1_000) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }

        // It resumes on the other process: the HEAD answers only once the hung PATCH let go
        // (after @tus/server's lockDrainTimeout, 3 s).
        const head = await second.request(path, { method: "HEAD", headers: tusHeaders });
        assert.equal(running, false, "the first process's PATCH ended before the HEAD answered");
        assert.equal(head.headers.get("upload-offset"), "1000");
        await stalled;
      },
    ),
});

integrationTest({
  name: "tus with shared locks: Redis out of reach answers 503 with Retry-After",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }) =>
    withTwoProcesses(
      REDIS_URL,
      async (client, prefix) => {
        const cutOff = await connectRedis(REDIS_URL, { name: "test-cut-off" });
        cutOff.disconnect();
        return [
          new RedisLeases(client, { prefix: `${prefix}lease:` }),
          new RedisLeases(cutOff, { prefix: `${prefix}lease:` }),
        ];
      },
      async ([reaching, cutOff], _parts, createVideo) => {
        const path = await createUpload(reaching, await createVideo(), 4096);
        const head = await cutOff.request(path, { method: "HEAD", headers: tusHeaders });
        assert.equal(head.status, 503);
        assert.equal(head.headers.get("content-type"), "application/problem+json");
        assert.ok(Number(head.headers.get("retry-after")) > 0);
      },
    ),
});
