import assert from "node:assert/strict";
import { parseMasterPlaylist, parseMediaPlaylist } from "../../domain/transcoding/playlists.ts";
import { until } from "../../projections/runtime/testing.ts";
import { recordUpload, withMediaService } from "./testing.ts";
import { PrometheusRegistry } from "../../adapters/metrics/prometheus-registry.ts";

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

const playback = (
  api: {
    call: (m: string, p: string) => Promise<{ status: number; body: Record<string, unknown> }>;
  },
  videoId: string,
) => api.call("GET", `/v1/videos/${videoId}/playback`);

test("an upload is transcoded once, with progress, and plays from signed URLs", () =>
  withMediaService(async (service) => {
    const metrics = new PrometheusRegistry();
    service.reactor({ metrics });
    const { upload_id, video_id } = await recordUpload(service.store, service.storage, {
      kind: "video",
      seconds: 9,
    });
    const ready = await until(
      () => playback(service, video_id),
      (r) => r.body.status === "ready",
      90_000,
    );
    assert.equal(ready.body.status, "ready", JSON.stringify(ready.body));

    const types = (await service.store.readStream(`transcode-${upload_id}`)).map((e) => e.type);
    assert.equal(types[0], "TranscodeRequested");
    assert.equal(types.filter((t) => t === "TranscodeStarted").length, 1);
    assert.ok(types.includes("TranscodeProgressed"));
    assert.equal(types.at(-1), "TranscodeCompleted");
    assert.deepEqual(ready.body.transcode, { status: "completed", progress_percent: 100 });
    assert.ok(Date.parse(ready.body.expires_at as string) > Date.now() + 590_000);
    const scraped = await metrics.render();
    assert.match(scraped, /^transcode_duration_seconds_count\{outcome="completed"\} 1$/m);
    assert.match(scraped, /^transcode_jobs_running \d+$/m);

    // A player follows the master playlist's relative URIs under the one signed prefix.
    const get = (url: string) => service.app.request(url);
    const masterUrl = ready.body.master_playlist_url as string;
    const master = parseMasterPlaylist(await (await get(masterUrl)).text());
    assert.deepEqual(master.variants.map((v) => v.RESOLUTION), ["640x360", "426x240"]);
    const base = masterUrl.slice(0, masterUrl.lastIndexOf("/") + 1);
    const variant = parseMediaPlaylist(await (await get(base + master.variants[1]!.uri)).text());
    const variantBase = base + master.variants[1]!.uri.replace(/index\.m3u8$/, "");
    const segment = await get(variantBase + variant.segments[0]!.uri);
    assert.equal(segment.status, 200);
    assert.equal(segment.headers.get("content-type"), "video/mp2t");
    assert.ok((await segment.arrayBuffer()).byteLength > 1000);

    const poster = await get(ready.body.poster_url as string);
    assert.equal(poster.headers.get("content-type"), "image/jpeg");
    await poster.body?.cancel();
  }));

test("an attempt whose worker died runs again, and two reactors never run one upload twice", () =>
  withMediaService(async (service) => {
    const { upload_id, video_id } = await recordUpload(service.store, service.storage, {
      kind: "audio",
      seconds: 2,
    });
    const source = { media_kind: "audio" as const, duration_sec: 2, has_audio: true };
    // What a worker killed mid-job leaves: a started attempt whose lease runs out.
    await service.store.appendToStream(`transcode-${upload_id}`, [
      {
        event_id: crypto.randomUUID(),
        type: "TranscodeRequested",
        schema_version: 1,
        data: {
          upload_id,
          video_id,
          source_key: `uploads/${upload_id}/source`,
          source,
          reason: "upload",
          requested_at: new Date().toISOString(),
        },
      },
      {
        event_id: crypto.randomUUID(),
        type: "TranscodeStarted",
        schema_version: 1,
        data: {
          upload_id,
          attempt: 1,
          worker: "gone",
          lease_until: new Date(Date.now() + 1_500).toISOString(),
          started_at: new Date().toISOString(),
        },
      },
    ], { expected_version: "no_stream" });
    service.reactor();
    service.reactor();
    const ready = await until(
      () => playback(service, video_id),
      (r) => r.body.status === "ready",
      90_000,
    );
    assert.equal(ready.body.status, "ready", JSON.stringify(ready.body));
    assert.equal((ready.body.audio as unknown[]).length, 10);

    const events = await service.store.readStream(`transcode-${upload_id}`);
    const started = events.filter((e) => e.type === "TranscodeStarted").map((e) => e.data.attempt);
    assert.deepEqual(started, [1, 2]);
    const done = events.filter((e) =>
      e.type === "TranscodeCompleted" || e.type === "TranscodeFailed"
    );
    assert.deepEqual(done.map((e) => [e.type, e.data.attempt]), [["TranscodeCompleted", 2]]);
  }));

test("a source ffmpeg cannot read fails with the reason, and can be transcoded again", () =>
  withMediaService(async (service) => {
    service.reactor();
    const { upload_id, video_id } = await recordUpload(service.store, service.storage, {
      kind: "video",
      seconds: 2,
      notMedia: true,
    });
    const failed = await until(
      () => playback(service, video_id),
      (r) => r.body.status === "failed",
      30_000,
    );
    assert.equal(failed.body.status, "failed", JSON.stringify(failed.body));
    assert.match((failed.body.transcode as { reason: string }).reason, /ffmpeg/);

    const path = `/v1/videos/${video_id}/uploads/${upload_id}/transcode`;
    const wrongVideo = await service.call(
      "POST",
      `/v1/videos/${crypto.randomUUID()}/uploads/${upload_id}/transcode`,
    );
    assert.equal(wrongVideo.status, 404);
    const again = await service.call("POST", path);
    assert.equal(again.status, 202, JSON.stringify(again.body));
    const busy = await service.call("POST", path);
    assert.equal(busy.status, 409);
    await until(
      () => service.store.readStream(`transcode-${upload_id}`),
      (events) =>
        events.at(-1)?.type === "TranscodeFailed" &&
        events.filter((e) => e.type === "TranscodeFailed").length === 2,
      30_000,
    );
    const reasons = (await service.store.readStream(`transcode-${upload_id}`)).filter((e) =>
      e.type === "TranscodeRequested"
    ).map((e) => e.data.reason);
    assert.deepEqual(reasons, ["upload", "retranscode"]);
  }));

test("a reactor runs no more transcodes at once than its concurrency", () =>
  withMediaService(async (service) => {
    service.reactor({ concurrency: 1 });
    const uploads = [
      await recordUpload(service.store, service.storage, { kind: "video", seconds: 2 }),
      await recordUpload(service.store, service.storage, { kind: "video", seconds: 2 }),
    ];
    for (const { video_id } of uploads) {
      const ready = await until(
        () => playback(service, video_id),
        (r) => r.body.status === "ready",
        90_000,
      );
      assert.equal(ready.body.status, "ready", JSON.stringify(ready.body));
    }
    // In commit order: each attempt ends before the next one starts.
    const streams = await Promise.all(
      uploads.map(({ upload_id }) => service.store.readStream(`transcode-${upload_id}`)),
    );
    const marks = streams.flat()
      .filter((e) => e.type === "TranscodeStarted" || e.type === "TranscodeCompleted")
      .sort((a, b) => a.global_position - b.global_position)
      .map((e) => e.type);
    assert.deepEqual(marks, [
      "TranscodeStarted",
      "TranscodeCompleted",
      "TranscodeStarted",
      "TranscodeCompleted",
    ]);
  }));
