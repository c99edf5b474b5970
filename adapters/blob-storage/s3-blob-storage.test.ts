import assert from "node:assert/strict";
import { ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import { BlobStorageUnavailableError } from "../../domain/ports/blob-storage.ts";
import { integrationTest } from "../testing/integration.ts";
import { runBlobStorageContract } from "./contract.ts";
import { keysUnder, patternStream, text } from "./contract-data.ts";
import { S3BlobStorage } from "./s3-blob-storage.ts";
import { configFrom, S3_VARIABLES, type S3Env } from "./s3-test-config.ts";
import { newClient } from "./s3-client.ts";

/** Runs `fn` with a store and a key prefix of its own, removing the prefix afterwards. */
async function withStorage(
  env: S3Env,
  fn: (storage: S3BlobStorage, prefix: string) => Promise<void>,
): Promise<void> {
  const storage = new S3BlobStorage(configFrom(env));
  const prefix = `blob-storage-test-${crypto.randomUUID().slice(0, 8)}/`;
  try {
    await fn(storage, prefix);
  } finally {
    await storage.deletePrefix(prefix);
    await storage.close();
  }
}

integrationTest({
  name: "S3 blob storage meets the blob storage contract",
  requires: S3_VARIABLES,
  fn: (env, t) =>
    withStorage(env, async (storage, prefix) => {
      await runBlobStorageContract(t, storage, {
        prefix,
        presigns: true,
        // 40 MiB in 8 MiB parts.
        checkLargePut: (result) => assert.equal(result.parts, 5),
      });
      // Failed multipart puts were aborted: no parts are left behind in the bucket.
      const client = newClient(configFrom(env), env.S3_ENDPOINT);
      try {
        const uploads = await client.send(
          new ListMultipartUploadsCommand({ Bucket: env.S3_BUCKET, Prefix: prefix }),
        );
        assert.deepEqual(uploads.Uploads ?? [], []);
      } finally {
        client.destroy();
      }
    }),
});

integrationTest({
  name: "S3 list and deletePrefix page through more than 1000 objects",
  requires: S3_VARIABLES,
  fn: (env) =>
    withStorage(env, async (storage, prefix) => {
      const count = 1_005;
      for (let start = 0; start < count; start += 25) {
        await Promise.all(
          Array.from({ length: Math.min(25, count - start) }, (_, i) =>
            storage.put(`${prefix}many/${start + i}`, text("x"), { contentType: "text/plain" })),
        );
      }
      assert.equal((await keysUnder(storage, `${prefix}many/`)).length, count);
      assert.equal(await storage.deletePrefix(`${prefix}many/`), count);
      assert.deepEqual(await keysUnder(storage, `${prefix}many/`), []);
    }),
});

Deno.test("S3 down: every call fails as unavailable, promptly", async () => {
  // Nothing listens on port 1: every connection is refused.
  const storage = new S3BlobStorage({
    endpoint: "http://127.0.0.1:1",
    region: "us-east-1",
    bucket: "streaming",
    accessKeyId: "key",
    secretAccessKey: "secret",
    forcePathStyle: true,
  });
  try {
    const calls = [
      () => storage.put("a/small", text("x"), { contentType: "text/plain" }),
      () =>
        storage.put("a/large", patternStream(1, 20 * 1024 * 1024).stream, {
          contentType: "video/mp4",
        }),
      () => storage.get("a/small", { range: { start: 0 } }),
      () => storage.head("a/small"),
      () => storage.delete("a/small"),
      () => storage.deletePrefix("a/"),
      () => keysUnder(storage, "a/"),
      () => storage.ping(),
    ];
    for (const [i, call] of calls.entries()) {
      const started = Date.now();
      await assert.rejects(call(), BlobStorageUnavailableError, `call ${i}`);
      assert.ok(Date.now() - started < 5_000, `call ${i} took ${Date.now() - started} ms`);
    }
    // Presigning needs no connection.
    assert.match(
      await storage.presignedGetUrl("a/small", { expiresInSeconds: 60 }),
      /X-Amz-Signature=/,
    );
  } finally {
    await storage.close();
  }
});

Deno.test("S3 hung: calls fail as unavailable once their deadline passes", async () => {
  // A server that accepts connections and never answers.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const connections: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const connection of listener) connections.push(connection);
  })();
  const storage = new S3BlobStorage({
    endpoint: `http://127.0.0.1:${listener.addr.port}`,
    region: "us-east-1",
    bucket: "streaming",
    accessKeyId: "key",
    secretAccessKey: "secret",
    forcePathStyle: true,
    responseTimeoutMs: 300,
    idleTimeoutMs: 300,
  });
  try {
    const calls = [
      () => storage.get("a/small"),
      () => storage.head("a/small"),
      () => storage.delete("a/small"),
      () => keysUnder(storage, "a/"),
      () => storage.ping(),
      () => storage.put("a/small", text("x"), { contentType: "text/plain" }),
    ];
    for (const [i, call] of calls.entries()) {
      const started = Date.now();
      await assert.rejects(call(), BlobStorageUnavailableError, `call ${i}`);
      assert.ok(Date.now() - started < 3_000, `call ${i} took ${Date.now() - started} ms`);
    }
  } finally {
    await storage.close();
    listener.close();
    await accepting.catch(() => {});
    for (const connection of connections) connection.close();
  }
});
