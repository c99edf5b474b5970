import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FsBlobStorage } from "../../adapters/blob-storage/fs-blob-storage.ts";
import { S3BlobStorage } from "../../adapters/blob-storage/s3-blob-storage.ts";
import { configFrom, S3_VARIABLES } from "../../adapters/blob-storage/s3-test-config.ts";
import { SecureLinkSigner } from "../../adapters/media-signing/secure-link.ts";
import { integrationTest } from "../../adapters/testing/integration.ts";
import {
  storeCompletedTranscode as completedTranscode,
  TRANSCODED_BYTES as bytes,
} from "../../adapters/testing/media.ts";
import { testService } from "../../adapters/testing/service.ts";
import { expiryFor, mediaLink } from "./media-urls.ts";

const signer = new SecureLinkSigner([{ kid: "r1", secret: "routes-test-secret-123" }]);
async function withFsStorage(fn: (storage: FsBlobStorage) => Promise<void>) {
  const root = await mkdtemp(join(tmpdir(), "media-routes-test-"));
  const storage = await FsBlobStorage.open(root);
  try {
    await fn(storage);
  } finally {
    await storage.close();
    await rm(root, { recursive: true, force: true });
  }
}

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

test("playback answers signed URLs that stream with Range, HEAD, ETag and If-Range", () =>
  withFsStorage(async (storage) => {
    const service = await testService({
      media: { storage, signer, urlTtlSec: 600, delivery: "redirect" },
    });
    const { video_id } = await completedTranscode(service.store, storage);
    await service.settled();
    const { status, body, headers } = await service.call("GET", `/v1/videos/${video_id}/playback`);
    assert.equal(status, 200);
    assert.equal(headers.get("cache-control"), "private, no-store");
    assert.equal(body.status, "ready");
    const mp4 = body.progressive_url as string;
    assert.match(
      mp4,
      new RegExp(`^/v1/videos/${video_id}/stream/r1/\\d+/[\\w-]{22}/.+/1/progressive\\.mp4$`),
    );

    // The directory store cannot presign: redirect mode streams through the service.
    const middle = await service.app.request(mp4, { headers: { range: "bytes=100000-165535" } });
    assert.equal(middle.status, 206);
    assert.equal(middle.headers.get("content-range"), `bytes 100000-165535/${bytes.length}`);
    assert.equal(middle.headers.get("content-length"), "65536");
    assert.equal(middle.headers.get("accept-ranges"), "bytes");
    assert.equal(middle.headers.get("content-type"), "video/mp4");
    assert.match(middle.headers.get("cache-control")!, /^public, max-age=\d+, immutable$/);
    assert.deepEqual(new Uint8Array(await middle.arrayBuffer()), bytes.slice(100000, 165536));
    const etag = middle.headers.get("etag")!;

    const suffix = await service.app.request(mp4, { headers: { range: "bytes=-10" } });
    assert.deepEqual(new Uint8Array(await suffix.arrayBuffer()), bytes.slice(-10));
    const outside = await service.app.request(mp4, {
      headers: { range: `bytes=${bytes.length}-` },
    });
    assert.equal(outside.status, 416);
    assert.equal(outside.headers.get("content-range"), `bytes */${bytes.length}`);

    const head = await service.app.request(mp4, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), String(bytes.length));
    assert.equal(head.headers.get("etag"), etag);

    const stale = await service.app.request(mp4, {
      headers: { range: "bytes=0-9", "if-range": '"other"' },
    });
    assert.equal(stale.status, 200);
    assert.equal((await stale.arrayBuffer()).byteLength, bytes.length);
    const fresh = await service.app.request(mp4, {
      headers: { range: "bytes=0-9", "if-range": etag },
    });
    assert.equal(fresh.status, 206);
    await fresh.body?.cancel();
    const unchanged = await service.app.request(mp4, { headers: { "if-none-match": etag } });
    assert.equal(unchanged.status, 304);

    const master = await service.app.request(body.master_playlist_url as string);
    assert.equal(master.headers.get("content-type"), "application/vnd.apple.mpegurl");
    assert.match(await master.text(), /240p\/index\.m3u8/);
    const missing = await service.app.request(
      mp4.replace("progressive.mp4", "hls/240p/index.m3u8"),
    );
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  }));

test("wrong, expired and tampered URLs get 403", () =>
  withFsStorage(async (storage) => {
    const service = await testService({
      media: { storage, signer, urlTtlSec: 600, delivery: "proxy" },
    });
    const { video_id, upload_id, prefix } = await completedTranscode(service.store, storage);
    const key = `${prefix}progressive.mp4`;
    const good = mediaLink(signer, video_id, prefix, expiryFor(Date.now(), 600)).url(key);
    const expired = mediaLink(signer, video_id, prefix, Math.floor(Date.now() / 1000) - 1).url(key);
    const otherKey = new SecureLinkSigner([{ kid: "r1", secret: "someone-elses-secret" }]);
    const forged = mediaLink(otherKey, video_id, prefix, expiryFor(Date.now(), 600)).url(key);
    const later = good.replace(/\/stream\/r1\/(\d+)\//, (_, e) => `/stream/r1/${Number(e) + 300}/`);
    const otherVideo = good.replace(video_id, crypto.randomUUID());
    const otherUpload = good.replace(upload_id, crypto.randomUUID());
    for (
      const url of [
        expired,
        forged,
        later,
        otherVideo,
        otherUpload,
        `/v1/videos/${video_id}/stream/x`,
      ]
    ) {
      const response = await service.app.request(url);
      assert.equal(response.status, 403, url);
      assert.equal(response.headers.get("content-type"), "application/problem+json");
      await response.body?.cancel();
    }
    const response = await service.app.request(good);
    assert.equal(response.status, 200);
    await response.body?.cancel();
    const escape = await service.app.request(good.replace("progressive.mp4", "../../x"));
    assert.notEqual(escape.status, 200);
    await escape.body?.cancel();
  }));

test("a video without uploads has no playback; a bad id is a 400", () =>
  withFsStorage(async (storage) => {
    const service = await testService({
      media: { storage, signer, urlTtlSec: 60, delivery: "proxy" },
    });
    assert.equal(
      (await service.call("GET", `/v1/videos/${crypto.randomUUID()}/playback`)).status,
      404,
    );
    assert.equal((await service.call("GET", `/v1/videos/nope/playback`)).status, 400);
    const paths = Object.keys((await service.call("GET", "/openapi.json")).body.paths as object);
    assert.ok(paths.includes("/v1/videos/{id}/playback"), paths.join(" "));
    assert.ok(paths.includes("/v1/videos/{id}/uploads/{upload_id}/transcode"));
  }));

integrationTest({
  name: "in redirect mode on S3, media files redirect to presigned URLs and playlists stay here",
  requires: S3_VARIABLES,
  async fn(env) {
    const storage = new S3BlobStorage(configFrom(env));
    const service = await testService({
      media: { storage, signer, urlTtlSec: 600, delivery: "redirect" },
    });
    const { video_id, prefix } = await completedTranscode(service.store, storage);
    try {
      await service.settled();
      const { body } = await service.call("GET", `/v1/videos/${video_id}/playback`);
      const redirect = await service.app.request(body.progressive_url as string);
      assert.equal(redirect.status, 302);
      const presigned = redirect.headers.get("location")!;
      const ranged = await fetch(presigned, { headers: { range: "bytes=1000-1999" } });
      assert.equal(ranged.status, 206);
      assert.deepEqual(new Uint8Array(await ranged.arrayBuffer()), bytes.slice(1000, 2000));
      const master = await service.app.request(body.master_playlist_url as string);
      assert.equal(master.status, 200);
      assert.match(await master.text(), /#EXTM3U/);

      const proxied = await testService({
        media: { storage, signer, urlTtlSec: 600, delivery: "proxy" },
      });
      const direct = await proxied.app.request(body.progressive_url as string, {
        headers: { range: "bytes=0-9" },
      });
      assert.equal(direct.status, 206);
      assert.deepEqual(new Uint8Array(await direct.arrayBuffer()), bytes.slice(0, 10));
    } finally {
      await storage.deletePrefix(prefix);
      await storage.close();
    }
  },
});
