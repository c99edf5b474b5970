import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidKeyError } from "../../domain/ports/blob-storage.ts";
import { runBlobStorageContract } from "./contract.ts";
import { patternStream, readAll, text } from "./contract-data.ts";
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
    const path = storage.filePath("videos/1/poster.jpg");
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
    await writeFile(storage.filePath("a/file.mp4"), "replaced!");
    const read = await storage.get("a/file.mp4");
    assert.deepEqual(await readAll(read.body), text("replaced!"));
    assert.equal(read.size, 9);
    assert.equal(read.content_type, "application/octet-stream");
    assert.equal(read.checksum_sha256, undefined);
    assert.notEqual(read.etag, put.etag);
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
