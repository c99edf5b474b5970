/**
 * The behaviour every BlobStorage adapter must show, as test steps. All keys live under `prefix`,
 * unique per run, so a shared bucket is fine; the adapter's test file removes the prefix after.
 */
import assert from "node:assert/strict";
import {
  type BlobStorage,
  ContentLengthMismatchError,
  type PutResult,
  RangeNotSatisfiableError,
} from "../../domain/ports/blob-storage.ts";
import { runBlobStorageEdgeCases } from "./contract-edges.ts";
import {
  keysUnder,
  measureStream,
  patternBytes,
  patternStream,
  readAll,
  sha256Hex,
  streamOf,
  text,
} from "./contract-data.ts";

export interface BlobStorageContractOptions<Result extends PutResult> {
  /** Every key of the run starts with it; it ends with "/". */
  prefix: string;
  /** Whether the store hands out presigned URLs (S3) or not (a directory). */
  presigns: boolean;
  /** Checks what only this adapter tells about the large put, e.g. that it went up in parts. */
  checkLargePut?: (result: Result) => void;
  /** Size of the large streamed object (40 MiB). */
  largeBytes?: number;
}

export async function runBlobStorageContract<Storage extends BlobStorage>(
  t: Deno.TestContext,
  storage: Storage,
  options: BlobStorageContractOptions<Awaited<ReturnType<Storage["put"]>>>,
): Promise<void> {
  const { prefix, largeBytes = 40 * 1024 * 1024 } = options;
  const key = (name: string) => `${prefix}${name}`;

  await t.step("put and get round-trip bytes, content type, size and checksum", async () => {
    await storage.ping();
    const bytes = text("Arrival (2016) ✓");
    const put = await storage.put(key("round-trip/title.txt"), bytes, {
      contentType: "text/plain; charset=utf-8",
      contentLength: bytes.byteLength,
    });
    assert.equal(put.key, key("round-trip/title.txt"));
    assert.equal(put.size, bytes.byteLength);
    assert.equal(put.content_type, "text/plain; charset=utf-8");
    assert.equal(put.checksum_sha256, sha256Hex(bytes));
    assert.match(put.etag, /^"[^"]+"$/);
    const read = await storage.get(put.key);
    assert.deepEqual(await readAll(read.body), bytes);
    assert.equal(read.size, bytes.byteLength);
    assert.equal(read.content_type, "text/plain; charset=utf-8");
    assert.equal(read.etag, put.etag);
    assert.equal(read.checksum_sha256, put.checksum_sha256);
    assert.equal(read.range, undefined);
    assert.ok(Math.abs(Date.parse(read.last_modified) - Date.now()) < 120_000, read.last_modified);

    // A stream body in several chunks, a key with spaces and non-ASCII letters, an empty object.
    const chunks = [text("hello, "), text("wörld"), new Uint8Array(0), text("!")];
    const odd = await storage.put(key("round-trip/ünï cödé + x.bin"), streamOf(...chunks), {
      contentType: "application/octet-stream",
    });
    assert.equal(odd.size, text("hello, wörld!").byteLength);
    assert.deepEqual(await readAll((await storage.get(odd.key)).body), text("hello, wörld!"));
    const empty = await storage.put(key("round-trip/empty"), new Uint8Array(0), {
      contentType: "text/plain",
    });
    assert.equal(empty.checksum_sha256, sha256Hex(new Uint8Array(0)));
    const emptyRead = await storage.get(empty.key);
    assert.equal(emptyRead.size, 0);
    assert.equal((await readAll(emptyRead.body)).byteLength, 0);

    // Overwriting replaces bytes, type and etag.
    const again = await storage.put(put.key, text("Arrival"), { contentType: "text/markdown" });
    const head = await storage.head(put.key);
    assert.equal(head.size, 7);
    assert.equal(head.content_type, "text/markdown");
    assert.equal(head.etag, again.etag);
    assert.notEqual(again.etag, put.etag);
  });

  const large = key("large/video ü.mp4");
  const seed = 7;
  await t.step(
    `a ${largeBytes >> 20} MiB body streams in and out with the right SHA-256`,
    async () => {
      const body = patternStream(seed, largeBytes);
      const put = await storage.put(large, body.stream, {
        contentType: "video/mp4",
        contentLength: largeBytes,
      });
      assert.equal(put.size, largeBytes);
      assert.equal(put.checksum_sha256, body.sha256());
      options.checkLargePut?.(put as Awaited<ReturnType<Storage["put"]>>);
      const read = await storage.get(large);
      assert.equal(read.size, largeBytes);
      assert.equal(read.content_type, "video/mp4");
      assert.deepEqual(await measureStream(read.body), { size: largeBytes, sha256: body.sha256() });
      const head = await storage.head(large);
      assert.equal(head.checksum_sha256, body.sha256());
      assert.equal(head.etag, put.etag);
    },
  );

  await t.step("range reads return exactly the asked bytes", async () => {
    const size = largeBytes;
    const middle = Math.floor(size / 2) - 10;
    const cases = [
      { range: { start: 0, end: 99 }, start: 0, end: 99 },
      { range: { start: middle, end: middle + 70_000 }, start: middle, end: middle + 70_000 },
      { range: { start: size - 1_000 }, start: size - 1_000, end: size - 1 },
      { range: { suffix: 500 }, start: size - 500, end: size - 1 },
      { range: { start: size - 10, end: size + 1_000 }, start: size - 10, end: size - 1 },
      { range: { suffix: size + 5 }, start: 0, end: size - 1 },
    ];
    for (const { range, start, end } of cases) {
      const read = await storage.get(large, { range });
      assert.deepEqual(read.range, { start, end }, JSON.stringify(range));
      assert.equal(read.size, size);
      assert.equal(read.content_type, "video/mp4");
      const bytes = await readAll(read.body);
      assert.equal(bytes.byteLength, end - start + 1, JSON.stringify(range));
      if (read.bytes) assert.deepEqual(read.bytes, bytes, "bytes read at once match the body");
      if (bytes.byteLength <= 100_000) {
        assert.deepEqual(bytes, patternBytes(seed, start, bytes.byteLength));
      }
    }
    for (const range of [{ start: size }, { start: size + 10, end: size + 20 }, { suffix: 0 }]) {
      await assert.rejects(storage.get(large, { range }), (error) => {
        assert.ok(error instanceof RangeNotSatisfiableError, String(error));
        assert.equal(error.size, size);
        return true;
      });
    }
    await assert.rejects(
      storage.get(key("round-trip/empty"), { range: { start: 0 } }),
      RangeNotSatisfiableError,
    );
    await assert.rejects(
      storage.get(key("round-trip/empty"), { range: { suffix: 5 } }),
      RangeNotSatisfiableError,
    );
    await assert.rejects(storage.get(large, { range: { start: 10, end: 5 } }), RangeError);
    await assert.rejects(storage.get(large, { range: { start: -1 } }), RangeError);
  });

  await runBlobStorageEdgeCases(t, storage, { ...options, large });

  await t.step("a declared length the body does not match stores nothing", async () => {
    const cases = [
      { body: text("x".repeat(50)), contentLength: 100 },
      { body: streamOf(text("x".repeat(50))), contentLength: 10 },
      // Past a part: on S3 the multipart upload must be aborted, not completed.
      { body: patternStream(3, 10 * 1024 * 1024).stream, contentLength: 10 * 1024 * 1024 + 1 },
    ];
    for (const [i, { body, contentLength }] of cases.entries()) {
      await assert.rejects(
        storage.put(key(`length/${i}`), body, { contentType: "text/plain", contentLength }),
        ContentLengthMismatchError,
      );
    }
    assert.deepEqual(await keysUnder(storage, key("length/")), []);
  });
}
