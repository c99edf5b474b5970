import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import * as tus from "tus-js-client";
import { type UploadFixture, withUploadService } from "../../commands/uploads/testing.ts";
import { jsonLogger } from "../logging/json-logger.ts";
import { fileDatastore } from "./datastores.ts";
import { TusUploads } from "./tus-uploads.ts";

const PATH = "/v1/uploads";

interface TusFixture extends UploadFixture {
  tus: TusUploads;
  /** The tus store's directory. */
  parts: string;
}

/** The service with tus uploads into a local tus directory expiring after `expiryMs`. */
function withTus(
  options: { expiryMs?: number; maxBytes?: number },
  fn: (fixture: TusFixture) => Promise<void>,
): Promise<void> {
  let tusUploads: TusUploads | undefined;
  let parts = "";
  return withUploadService({
    resumable: (commands) => {
      parts = Deno.makeTempDirSync({ prefix: "tus-parts-" });
      tusUploads = new TusUploads({
        datastore: fileDatastore(parts, options.expiryMs ?? 60_000),
        path: PATH,
        maxBytes: options.maxBytes ?? 1 << 20,
        spoolDir: Deno.makeTempDirSync({ prefix: "tus-spool-" }),
        commands,
        logger: jsonLogger("silent"),
      });
      return tusUploads.app();
    },
  }, async (fixture) => {
    try {
      await fn({ ...fixture, tus: tusUploads!, parts });
    } finally {
      await Deno.remove(parts, { recursive: true });
    }
  });
}

const metadataHeader = (entries: Record<string, string>) =>
  Object.entries(entries).map(([key, value]) => `${key} ${btoa(value)}`).join(",");

/** A tus request through the app, as a client would send it. */
function tusRequest(
  fixture: UploadFixture,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Uint8Array<ArrayBuffer>,
) {
  return fixture.api.app.request(path, {
    method,
    headers: { "tus-resumable": "1.0.0", ...headers },
    body,
  });
}

async function create(fixture: UploadFixture, videoId: string, length: number) {
  const response = await tusRequest(fixture, "POST", PATH, {
    "upload-length": String(length),
    "upload-metadata": metadataHeader({ video_id: videoId, filename: "clip.mp4" }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return new URL(response.headers.get("location")!).pathname;
}

const digest = (algorithm: string, bytes: Uint8Array, encoding: "hex" | "base64") =>
  createHash(algorithm).update(bytes).digest(encoding);

Deno.test("tus-js-client uploads in chunks, is aborted, resumes from the server's offset", () =>
  withTus({}, async (fixture) => {
    const { api, createVideo, sample, parts } = fixture;
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, api.app.fetch);
    try {
      const videoId = await createVideo();
      const clip = Buffer.from(await sample("clip.mp4"));
      const options = {
        endpoint: `http://127.0.0.1:${server.addr.port}${PATH}`,
        chunkSize: 8 * 1024,
        retryDelays: [],
        metadata: { video_id: videoId, filename: "clip.mp4", filetype: "video/mp4" },
      };

      // The first upload stops itself after two chunks, as a dropped connection would.
      const url = await new Promise<string>((resolve, reject) => {
        let chunks = 0;
        const first: tus.Upload = new tus.Upload(clip, {
          ...options,
          onChunkComplete() {
            if (++chunks === 2) first.abort().then(() => resolve(first.url!), reject);
          },
          onError: reject,
          onSuccess: () => reject(new Error("the upload was not interrupted")),
        });
        first.start();
      });
      const head = await tusRequest(fixture, "HEAD", new URL(url).pathname);
      assert.equal(head.headers.get("upload-offset"), String(16 * 1024));

      const patchedAt: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const resumed = new tus.Upload(clip, {
          ...options,
          uploadUrl: url,
          onBeforeRequest(request) {
            if (request.getMethod() === "PATCH") {
              patchedAt.push(request.getHeader("Upload-Offset")!);
            }
          },
          onError: reject,
          onSuccess: () => resolve(),
        });
        resumed.start();
      });
      assert.equal(
        patchedAt[0],
        String(16 * 1024),
        "the resumed upload starts at the server's offset",
      );

      const uploadId = new URL(url).pathname.split("/").pop()!;
      const [event] = await api.store.readStream(`upload-${uploadId}`);
      assert.equal(event?.type, "VideoUploaded");
      assert.equal(event?.data.video_id, videoId);
      assert.equal(event?.data.size_bytes, clip.length);
      assert.equal(event?.data.checksum_sha256, digest("sha256", clip, "hex"));
      assert.deepEqual(await readdir(parts), [], "the finished tus copy is removed");
    } finally {
      await server.shutdown();
    }
  }));

Deno.test("a chunk whose Upload-Checksum does not match is refused and not written", () =>
  withTus({}, async (fixture) => {
    const options = await tusRequest(fixture, "OPTIONS", PATH);
    assert.match(options.headers.get("tus-extension") ?? "", /checksum/);
    assert.match(options.headers.get("tus-checksum-algorithm") ?? "", /sha1/);

    const clip = await fixture.sample("clip.mp4");
    const path = await create(fixture, await fixture.createVideo(), clip.length);
    const patch = (checksum: string, offset = 0) =>
      tusRequest(fixture, "PATCH", path, {
        "content-type": "application/offset+octet-stream",
        "upload-offset": String(offset),
        "upload-checksum": checksum,
      }, clip.slice(offset));

    const wrong = await patch(`sha1 ${digest("sha1", new Uint8Array([1]), "base64")}`);
    assert.equal(wrong.status, 460);
    const after = await tusRequest(fixture, "HEAD", path);
    assert.equal(after.headers.get("upload-offset"), "0");
    assert.equal((await patch("crc32 AAAA")).status, 400);

    const right = await patch(`sha1 ${digest("sha1", clip, "base64")}`);
    assert.equal(right.status, 204, await right.text());
    assert.equal(right.headers.get("upload-offset"), String(clip.length));
  }));

Deno.test("bytes that are not media end the upload with 422 and UploadRejected", () =>
  withTus({}, async (fixture) => {
    const videoId = await fixture.createVideo();
    const text = new TextEncoder().encode("not a video at all\n".repeat(200));
    const path = await create(fixture, videoId, text.length);
    const finished = await tusRequest(fixture, "PATCH", path, {
      "content-type": "application/offset+octet-stream",
      "upload-offset": "0",
    }, text);
    assert.equal(finished.status, 422);
    assert.equal(finished.headers.get("content-type"), "application/problem+json");
    assert.match((await finished.json()).detail, /not media/);
    const uploadId = path.split("/").pop()!;
    const [event] = await fixture.api.store.readStream(`upload-${uploadId}`);
    assert.equal(event?.type, "UploadRejected");
    assert.deepEqual(await fixture.storedKeys(videoId), []);
    assert.deepEqual(await readdir(fixture.parts), []);
  }));

Deno.test("creation is refused for unknown videos, bad names and oversized uploads", () =>
  withTus({ maxBytes: 1000 }, async (fixture) => {
    const videoId = await fixture.createVideo();
    const cases: [number, Record<string, string>][] = [
      [404, { video_id: crypto.randomUUID() }],
      [400, { filename: "clip.mp4" }],
      [400, { video_id: videoId, filename: "../../etc/passwd" }],
      [415, { video_id: videoId, filetype: "text/plain" }],
    ];
    for (const [status, metadata] of cases) {
      const response = await tusRequest(fixture, "POST", PATH, {
        "upload-length": "100",
        "upload-metadata": metadataHeader(metadata),
      });
      assert.equal(response.status, status, JSON.stringify(metadata));
      assert.equal(response.headers.get("content-type"), "application/problem+json");
      await response.body?.cancel();
    }
    const tooLarge = await tusRequest(fixture, "POST", PATH, {
      "upload-length": "1001",
      "upload-metadata": metadataHeader({ video_id: videoId }),
    });
    assert.equal(tooLarge.status, 413);
    await tooLarge.body?.cancel();
    assert.deepEqual(await readdir(fixture.parts), []);
  }));

Deno.test("termination removes an unfinished upload's parts", () =>
  withTus({}, async (fixture) => {
    const path = await create(fixture, await fixture.createVideo(), 1000);
    const partial = await tusRequest(fixture, "PATCH", path, {
      "content-type": "application/offset+octet-stream",
      "upload-offset": "0",
    }, new Uint8Array(100));
    assert.equal(partial.status, 204);
    assert.equal((await tusRequest(fixture, "DELETE", path)).status, 204);
    assert.equal((await tusRequest(fixture, "HEAD", path)).status, 404);
    assert.deepEqual(await readdir(fixture.parts), []);
  }));

Deno.test("the expiry sweep removes abandoned uploads", () =>
  withTus({ expiryMs: 1 }, async (fixture) => {
    const path = await create(fixture, await fixture.createVideo(), 1000);
    assert.notDeepEqual(await readdir(fixture.parts), []);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(await fixture.tus.cleanUpExpired(), 1);
    assert.ok([404, 410].includes((await tusRequest(fixture, "HEAD", path)).status));
    assert.deepEqual(await readdir(fixture.parts), []);
  }));

Deno.test("the OpenAPI document lists the upload routes", () =>
  withTus({}, async ({ api }) => {
    const document = await (await api.app.request("/openapi.json")).json();
    const paths = document.paths as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(paths["/v1/uploads"] ?? {}).sort(), ["post"]);
    assert.deepEqual(Object.keys(paths["/v1/uploads/{id}"] ?? {}).sort(), ["delete", "patch"]);
    const simple = paths["/v1/videos/{id}/upload"]?.post as {
      requestBody: { content: Record<string, unknown> };
    };
    assert.ok(simple.requestBody.content["multipart/form-data"]);
  }));
