/**
 * The blob storage contract, continued: listing, deletion, key rules, presigned URLs, racing puts
 * and failing bodies. Run by runBlobStorageContract, after the large object `large` is stored.
 */
import assert from "node:assert/strict";
import {
  BlobNotFoundError,
  type BlobStorage,
  InvalidKeyError,
} from "../../domain/ports/blob-storage.ts";
import { keysUnder, measureStream, patternStream, readAll, text } from "./contract-data.ts";

export interface EdgeCaseOptions {
  prefix: string;
  presigns: boolean;
  /** Key of the large object stored by the previous steps. */
  large: string;
}

export async function runBlobStorageEdgeCases(
  t: Deno.TestContext,
  storage: BlobStorage,
  { prefix, presigns, large }: EdgeCaseOptions,
): Promise<void> {
  const key = (name: string) => `${prefix}${name}`;
  const put = (name: string, body = text(name)) =>
    storage.put(key(name), body, { contentType: "text/plain" });

  await t.step(
    "head describes an object without its bytes; a missing key is BlobNotFoundError",
    async () => {
      const stored = await put("head/a.txt", text("0123456789"));
      const head = await storage.head(stored.key);
      assert.equal(head.key, stored.key);
      assert.equal(head.size, 10);
      assert.equal(head.etag, stored.etag);
      assert.equal(head.checksum_sha256, stored.checksum_sha256);
      for (const missing of [key("head/missing"), key("head")]) {
        for (const read of [() => storage.head(missing), () => storage.get(missing)]) {
          await assert.rejects(read(), (error) => {
            assert.ok(error instanceof BlobNotFoundError, String(error));
            assert.equal(error.key, missing);
            return true;
          });
        }
      }
    },
  );

  await t.step("list finds the objects under a prefix, and only those", async () => {
    for (const name of ["list/a/1", "list/a/2", "list/a/b/3", "list/ab/4", "list/b/5"]) {
      await put(name);
    }
    assert.deepEqual(await keysUnder(storage, key("list/a/")), [
      key("list/a/1"),
      key("list/a/2"),
      key("list/a/b/3"),
    ]);
    // A prefix is a plain string prefix, not a folder.
    assert.deepEqual((await keysUnder(storage, key("list/a"))).length, 4);
    assert.deepEqual(await keysUnder(storage, key("list/c")), []);
    assert.deepEqual(await keysUnder(storage, key("nothing-here/")), []);
    const listed = [];
    for await (const item of storage.list(key("list/b/"))) listed.push(item);
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.size, text("list/b/5").byteLength);
    assert.ok(!Number.isNaN(Date.parse(listed[0]!.last_modified)));
    assert.ok((await keysUnder(storage, prefix)).includes(large));
  });

  await t.step("delete removes an object and is idempotent", async () => {
    const stored = await put("delete/a");
    await storage.delete(stored.key);
    await assert.rejects(storage.head(stored.key), BlobNotFoundError);
    await storage.delete(stored.key);
    await storage.delete(key("delete/never-written"));
    assert.deepEqual(await keysUnder(storage, key("delete/")), []);
  });

  await t.step(
    "deletePrefix removes everything under a folder prefix and nothing else",
    async () => {
      for (
        const name of [
          "v/1/master.m3u8",
          "v/1/720p/seg-1.ts",
          "v/1/720p/seg-2.ts",
          "v/10/x",
          "v/2/x",
        ]
      ) {
        await put(name);
      }
      assert.equal(await storage.deletePrefix(key("v/1/")), 3);
      assert.deepEqual(await keysUnder(storage, key("v/")), [key("v/10/x"), key("v/2/x")]);
      assert.equal(await storage.deletePrefix(key("v/1/")), 0);
      await assert.rejects(storage.deletePrefix(key("v/1")), InvalidKeyError);
      await assert.rejects(storage.deletePrefix(""), InvalidKeyError);
      // The folder is usable again afterwards.
      await put("v/1/again");
      assert.deepEqual(await keysUnder(storage, key("v/1/")), [key("v/1/again")]);
    },
  );

  await t.step("invalid keys are rejected with InvalidKeyError by every method", async () => {
    const invalid = [
      "",
      "/absolute",
      `${prefix}../escape`,
      "..",
      `${prefix}a/./b`,
      `${prefix}a//b`,
      `${prefix}folder/`,
      `${prefix}back\\slash`,
      `${prefix}nul\u0000`,
      `${prefix}line\nbreak`,
      `${prefix}${"x".repeat(1025)}`,
      `${prefix}${"é".repeat(200)}`, // 400 bytes in one segment
      `${prefix}${`${"a".repeat(200)}/`.repeat(6)}end`, // > 1024 bytes
    ];
    for (const bad of invalid) {
      const calls = [
        () => storage.put(bad, text("x"), { contentType: "text/plain" }),
        () => storage.get(bad),
        () => storage.head(bad),
        () => storage.delete(bad),
        () => storage.presignedGetUrl(bad, { expiresInSeconds: 60 }),
      ];
      for (const call of calls) {
        // call() itself must not throw: every method reports through its promise.
        await assert.rejects(call(), InvalidKeyError, JSON.stringify(bad));
      }
    }
    await assert.rejects(keysUnder(storage, "/absolute"), InvalidKeyError);
    await assert.rejects(keysUnder(storage, `${prefix}../`), InvalidKeyError);
    // The longest key allowed: 1024 bytes, in segments of at most 255.
    let longest = prefix;
    while (longest.length < 1024) {
      longest += 1024 - longest.length > 255
        ? `${"k".repeat(250)}/`
        : "k".repeat(1024 - longest.length);
    }
    assert.equal(new TextEncoder().encode(longest).byteLength, 1024);
    await storage.put(longest, text("long"), { contentType: "text/plain" });
    assert.deepEqual(await readAll((await storage.get(longest)).body), text("long"));
    await storage.delete(longest);
  });

  await t.step(
    presigns
      ? "a presigned URL serves the object until it expires"
      : "presignedGetUrl answers undefined",
    async () => {
      const stored = await put("presign/a.txt", text("presigned bytes"));
      const url = await storage.presignedGetUrl(stored.key, { expiresInSeconds: 60 });
      await assert.rejects(
        storage.presignedGetUrl(stored.key, { expiresInSeconds: 0 }),
        RangeError,
      );
      if (!presigns) return assert.equal(url, undefined);
      assert.ok(url);
      const response = await fetch(url);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), "presigned bytes");
      const partial = await fetch(url, { headers: { range: "bytes=4-9" } });
      assert.equal(partial.status, 206);
      assert.equal(await partial.text(), "igned ");
      const shortLived = await storage.presignedGetUrl(stored.key, { expiresInSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const expired = await fetch(shortLived!);
      await expired.body?.cancel();
      assert.equal(expired.status, 403);
    },
  );

  await t.step("racing puts of one key leave one whole object with its own metadata", async () => {
    const size = 12 * 1024 * 1024; // more than one S3 part
    const writers = [1, 2, 3, 4].map((seed) => ({ seed, body: patternStream(100 + seed, size) }));
    const results = await Promise.all(
      writers.map(({ seed, body }) =>
        storage.put(key("race/object"), body.stream, { contentType: `video/x-writer-${seed}` })
      ),
    );
    const read = await storage.get(key("race/object"));
    const { sha256 } = await measureStream(read.body);
    const winner = writers.findIndex(({ body }) => body.sha256() === sha256);
    assert.ok(winner >= 0, "the stored bytes are exactly one writer's");
    assert.equal(read.content_type, `video/x-writer-${writers[winner]!.seed}`);
    assert.equal(read.checksum_sha256, sha256);
    assert.equal(read.etag, results[winner]!.etag);
  });

  await t.step("a body that fails stores nothing and keeps the previous object", async () => {
    for (const failAfter of [1024 * 1024, 10 * 1024 * 1024]) { // within one part, past one part
      const name = key(`failing/${failAfter}`);
      const body = patternStream(5, 20 * 1024 * 1024, { failAfter }).stream;
      await assert.rejects(
        storage.put(name, body, { contentType: "video/mp4" }),
        /the body failed/,
      );
      await assert.rejects(storage.head(name), BlobNotFoundError);
    }
    const kept = await put("failing/kept", text("the old bytes"));
    const failing = patternStream(6, 20 * 1024 * 1024, { failAfter: 10 * 1024 * 1024 }).stream;
    await assert.rejects(
      storage.put(kept.key, failing, { contentType: "video/mp4" }),
      /the body failed/,
    );
    const read = await storage.get(kept.key);
    assert.equal(read.etag, kept.etag);
    assert.deepEqual(await readAll(read.body), text("the old bytes"));
  });
}
