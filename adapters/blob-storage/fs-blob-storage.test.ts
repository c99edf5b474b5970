import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobNotFoundError, InvalidKeyError } from "../../domain/ports/blob-storage.ts";
import { runBlobStorageContract } from "./contract.ts";
import { patternBytes, patternStream, readAll, text } from "./contract-data.ts";
import { FsBlobStorage } from "./fs-blob-storage.ts";

async function withStorage(fn: (storage: FsBlobStorage, root: string) => Promise<void>) {
  const root = await mkdtemp(join(tmpdir(), "blob-storage-test-"));
  const storage = await FsBlobStorage.open(root);
  try {
    await fn(storage, root);
  } finally {
    await storage.close();
    await rm(root, { recursive: true, force: true });
  }
}

Deno.test("directory blob storage meets the blob storage contract", async (t) => {
  await withStorage(async (storage, root) => {
    await runBlobStorageContract(t, storage, { prefix: "contract/", presigns: false });
    // Failed and finished puts leave no temp files behind.
    assert.deepEqual(await readdir(join(root, "tmp")), []);
  });
});

Deno.test("objects are plain files an edge server can serve", async () => {
  await withStorage(async (storage, root) => {
    await storage.put("videos/1/poster.jpg", text("jpeg bytes"), { contentType: "image/jpeg" });
    const path = storage.localPath("videos/1/poster.jpg");
    assert.equal(path, join(root, "objects", "videos", "1", "poster.jpg"));
    assert.equal(await readFile(path, "utf8"), "jpeg bytes");
    await storage.delete("videos/1/poster.jpg");
    // Emptied folders go too, up to the objects root.
    assert.deepEqual(await readdir(join(root, "objects")), []);
  });
});

Deno.test("a file without a matching sidecar is served with safe defaults", async () => {
  await withStorage(async (storage) => {
    const put = await storage.put("a/file.mp4", text("original"), { contentType: "video/mp4" });
    // As if another process (or a crash between the two renames) replaced the bytes alone.
    await writeFile(storage.localPath("a/file.mp4"), "replaced!");
    const read = await storage.get("a/file.mp4");
    assert.deepEqual(await readAll(read.body), text("replaced!"));
    assert.equal(read.size, 9);
    assert.equal(read.content_type, "application/octet-stream");
    assert.equal(read.checksum_sha256, undefined);
    assert.notEqual(read.etag, put.etag);
  });
});

Deno.test("a file replaced behind the store's back after a read is soon read afresh", async () => {
  await withStorage(async (storage) => {
    await storage.put("a/file.mp4", text("original"), { contentType: "video/mp4" });
    assert.equal((await storage.head("a/file.mp4")).content_type, "video/mp4"); // now known
    await writeFile(storage.localPath("a/file.mp4"), "replaced!");
    // The open file kept since the read is compared with the path's at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const read = await storage.get("a/file.mp4");
    assert.deepEqual(await readAll(read.body), text("replaced!"));
    assert.equal(read.content_type, "application/octet-stream");
    await storage.delete("a/file.mp4");
    await assert.rejects(storage.head("a/file.mp4"), BlobNotFoundError);
  });
});

Deno.test("small ranges come as bytes in memory, large ones only as a stream", async () => {
  await withStorage(async (storage) => {
    const body = patternStream(2, 1024 * 1024);
    await storage.put("a/large.bin", body.stream, { contentType: "video/mp4" });
    const small = await storage.get("a/large.bin", { range: { start: 1000, end: 66_535 } });
    assert.equal(small.bytes?.byteLength, 65_536);
    assert.deepEqual(await readAll(small.body), small.bytes);
    const large = await storage.get("a/large.bin", { range: { start: 0 } });
    assert.equal(large.bytes, undefined);
    assert.equal((await readAll(large.body)).byteLength, 1024 * 1024);
  });
});

Deno.test("a small range is read into the caller's buffer when it fits there", async () => {
  await withStorage(async (storage) => {
    await storage.put("a/large.bin", patternStream(3, 400_000).stream, {
      contentType: "video/mp4",
    });
    const into = new Uint8Array(65_536);
    const fits = await storage.get("a/large.bin", { range: { start: 5, end: 65_540 }, into });
    assert.equal(fits.bytes?.buffer, into.buffer);
    assert.deepEqual(fits.bytes, patternBytes(3, 5, 65_536));
    // Too large for it: a buffer of its own, and the caller's is left as it was.
    const before = into.slice();
    const larger = await storage.get("a/large.bin", { range: { start: 0, end: 99_999 }, into });
    assert.notEqual(larger.bytes?.buffer, into.buffer);
    assert.deepEqual(larger.bytes, patternBytes(3, 0, 100_000));
    assert.deepEqual(into, before);
  });
});

Deno.test("a put through the store is read at once, even within a second of a read", async () => {
  await withStorage(async (storage) => {
    await storage.put("a/file.mp4", text("first"), { contentType: "video/mp4" });
    assert.deepEqual(
      (await storage.get("a/file.mp4", { range: { start: 0 } })).bytes,
      text("first"),
    );
    await storage.put("a/file.mp4", text("second!"), { contentType: "video/webm" });
    const read = await storage.get("a/file.mp4", { range: { start: 0 } });
    assert.deepEqual(read.bytes, text("second!"));
    assert.equal(read.content_type, "video/webm");
    await storage.delete("a/file.mp4");
    await assert.rejects(storage.get("a/file.mp4"), BlobNotFoundError);
  });
});

Deno.test("concurrent range reads through one kept file each get their own bytes", async () => {
  await withStorage(async (storage) => {
    const size = 4 * 1024 * 1024;
    await storage.put("a/large.bin", patternStream(5, size).stream, { contentType: "video/mp4" });
    // Small ranges (read at once) and large ones (streamed) all share the one open file.
    const ranges = Array.from({ length: 64 }, (_, i) => {
      const length = i % 4 === 0 ? 300_000 : 65_536;
      const start = (i * 61_153) % (size - length);
      return { start, end: start + length - 1 };
    });
    const reads = await Promise.all(
      ranges.map(async (range) => readAll((await storage.get("a/large.bin", { range })).body)),
    );
    for (const [i, bytes] of reads.entries()) {
      const { start, end } = ranges[i]!;
      assert.deepEqual(bytes, patternBytes(5, start, end - start + 1), `range ${start}-${end}`);
    }
  });
});

Deno.test("an object and a folder of objects cannot share a name", async () => {
  await withStorage(async (storage) => {
    await storage.put("a/b", text("x"), { contentType: "text/plain" });
    await assert.rejects(
      storage.put("a", text("y"), { contentType: "text/plain" }),
      InvalidKeyError,
    );
    await assert.rejects(
      storage.put("a/b/c", text("z"), { contentType: "text/plain" }),
      InvalidKeyError,
    );
    assert.deepEqual(await readAll((await storage.get("a/b")).body), text("x"));
  });
});

Deno.test("opening the store clears temp files a crash left behind", async () => {
  await withStorage(async (storage, root) => {
    const stale = join(root, "tmp", "crashed.data");
    await writeFile(stale, "half a put");
    const old = new Date(Date.now() - 2 * 3600_000);
    await Deno.utime(stale, old, old);
    await writeFile(join(root, "tmp", "in-progress.data"), "another process's put");
    await (await FsBlobStorage.open(root)).close();
    assert.deepEqual(await readdir(join(root, "tmp")), ["in-progress.data"]);
    const body = patternStream(1, 1000);
    await storage.put("after", body.stream, { contentType: "text/plain" });
  });
});
