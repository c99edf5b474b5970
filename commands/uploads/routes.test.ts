import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { withUploadService } from "./testing.ts";

const BOUNDARY = "----upload-test-boundary";

interface FilePart {
  name?: string;
  type?: string;
  bytes: Uint8Array;
}

/** A multipart/form-data body with a text field first, then the file. */
function multipart(
  { name = "clip.mp4", type = "video/mp4", bytes }: FilePart,
): Uint8Array<ArrayBuffer> {
  const text = new TextEncoder();
  return new Uint8Array([
    ...text.encode(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nA clip\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; ` +
        `filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    ...bytes,
    ...text.encode(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** The body in chunks of `size` bytes, so delimiters fall across chunk edges. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset += size));
    },
  });
}

async function upload(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  videoId: string,
  body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
) {
  const response = await app.request(`/v1/videos/${videoId}/upload`, {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    body,
  });
  const json = await response.json();
  return { status: response.status, body: json, type: response.headers.get("content-type") };
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

Deno.test("a clip streamed in small chunks is stored, probed and recorded as VideoUploaded", () =>
  withUploadService({}, async ({ api, storage, createVideo, sample }) => {
    const videoId = await createVideo();
    const clip = await sample("clip.mp4");
    const answer = await upload(api.app, videoId, chunked(multipart({ bytes: clip }), 1000));
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const uploaded = answer.body;
    assert.equal(uploaded.video_id, videoId);
    assert.equal(uploaded.size_bytes, clip.length);
    assert.equal(uploaded.checksum_sha256, sha256(clip));
    assert.equal(uploaded.media_kind, "video");
    assert.equal(uploaded.mime_type, "video/mp4");
    assert.ok(uploaded.duration_sec > 1.5);
    assert.deepEqual(
      uploaded.streams.map((s: { codec_type: string }) => s.codec_type).sort(),
      ["audio", "video"],
    );

    const stored = await storage.get(uploaded.key);
    assert.deepEqual(new Uint8Array(await new Response(stored.body).arrayBuffer()), clip);
    const [event] = await api.store.readStream(`upload-${uploaded.upload_id}`);
    assert.equal(event?.type, "VideoUploaded");
    assert.deepEqual(event?.data, uploaded);
  }));

Deno.test("an audio track takes an audio file and refuses a video", () =>
  withUploadService({}, async ({ api, createVideo, sample, storedKeys }) => {
    const trackId = await createVideo("audio_track");
    const tone = await upload(
      api.app,
      trackId,
      multipart({ name: "tone.mp3", type: "audio/mpeg", bytes: await sample("tone.mp3") }),
    );
    assert.equal(tone.status, 201, JSON.stringify(tone.body));
    assert.equal(tone.body.media_kind, "audio");

    const otherTrack = await createVideo("audio_track");
    const video = await upload(api.app, otherTrack, multipart({ bytes: await sample("clip.mp4") }));
    assert.equal(video.status, 422);
    assert.match(video.body.detail, /audio track takes an audio file/);
    assert.deepEqual(await storedKeys(otherTrack), []);
  }));

Deno.test("bytes that are not media are rejected with 422 and the reason, and not kept", () =>
  withUploadService({}, async ({ api, createVideo, sample, storedKeys }) => {
    const clip = await sample("clip.mp4");
    const cases = {
      "zero bytes": [new Uint8Array(), /empty/],
      "truncated media": [clip.subarray(0, clip.length >> 1), /truncated|not media/],
      "a text file named .mp4": [
        new TextEncoder().encode("not a video\n".repeat(100)),
        /not media/,
      ],
      "an image sent as octet-stream": [await sample("still.png"), /not a supported media type/],
    } as const;
    for (const [what, [bytes, reason]] of Object.entries(cases)) {
      const videoId = await createVideo();
      const answer = await upload(api.app, videoId, multipart({ type: "video/mp4", bytes }));
      assert.equal(answer.status, 422, what);
      assert.equal(answer.type, "application/problem+json", what);
      assert.match(answer.body.detail, reason, what);
      assert.deepEqual(await storedKeys(videoId), [], what);
      const rejected = (await api.store.readAll()).filter((e) =>
        e.type === "UploadRejected" && e.data.video_id === videoId
      );
      assert.equal(rejected.length, 1, what);
      assert.equal(rejected[0]?.data.size_bytes, bytes.length, what);
    }
  }));

Deno.test("bad requests get a clear 4xx before anything is stored", () =>
  withUploadService({ maxBytes: 20_000 }, async ({ api, dir, createVideo, sample, storedKeys }) => {
    const clip = await sample("clip.mp4");
    const small = clip.slice(0, 5000);
    const whole = multipart({ bytes: small });
    const noFile = new TextEncoder().encode(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--${BOUNDARY}--\r\n`,
    );
    const longer = { "content-length": `${whole.length + 100}` };
    const huge = { "content-length": `${10 << 20}` };
    type Request = [Uint8Array<ArrayBuffer>, Record<string, string>?];
    const cases: Record<string, [number, RegExp, Request]> = {
      "unsupported type": [415, /declared as text\/plain/, [
        multipart({ type: "text/plain", bytes: small }),
      ]],
      "path traversal in the file name": [400, /plain name/, [
        multipart({ name: "../../etc/passwd", bytes: small }),
      ]],
      "declared length larger than sent": [400, /ended after \d+ of the \d+ bytes declared/, [
        whole,
        longer,
      ]],
      "a file over the limit": [413, /larger than the 20000 bytes/, [multipart({ bytes: clip })]],
      "a declared length far over the limit": [413, /larger than the 20000 bytes/, [whole, huge]],
      "a body cut before the closing boundary": [400, /ended before the file part/, [
        whole.slice(0, whole.length - 10),
      ]],
      "no file field": [400, /no \\"file\\" field/, [noFile]],
      "not multipart": [415, /multipart\/form-data/, [small, { "content-type": "video/mp4" }]],
    };
    for (const [what, [status, reason, [body, headers]]] of Object.entries(cases)) {
      const answer = await upload(api.app, await createVideo(), body, headers);
      assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
      const said = `${answer.body.detail} ${JSON.stringify(answer.body.errors ?? [])}`;
      assert.match(said, reason, what);
    }
    const unknown = await upload(api.app, crypto.randomUUID(), whole);
    assert.equal(unknown.status, 404);
    const videos = (await api.store.readAll()).filter((e) => e.type === "VideoCreated");
    for (const video of videos) assert.deepEqual(await storedKeys(String(video.data.video_id)), []);
    assert.deepEqual(await readdir(`${dir}/blobs/tmp`), []);
  }));

Deno.test("a deleted video takes no upload", () =>
  withUploadService({}, async ({ api, createVideo, sample }) => {
    const videoId = await createVideo();
    assert.equal((await api.call("DELETE", `/v1/videos/${videoId}`)).status, 204);
    const answer = await upload(api.app, videoId, multipart({ bytes: await sample("clip.mp4") }));
    assert.equal(answer.status, 404);
  }));
