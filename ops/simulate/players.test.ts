import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FsBlobStorage } from "../../adapters/blob-storage/fs-blob-storage.ts";
import { SecureLinkSigner } from "../../adapters/media-signing/secure-link.ts";
import { storeCompletedTranscode } from "../../adapters/testing/media.ts";
import { type TestService, testService } from "../../adapters/testing/service.ts";
import { assertLocalTarget, runPlayers } from "./players.ts";
import { summarizeTruth } from "./truth.ts";
import { DEFAULT_CHANCES } from "./viewer.ts";

const FEW = {
  seed: 7,
  chances: DEFAULT_CHANCES,
  contents: ["sim-content-0"],
  accounts: 1,
};

/** The test service served on 127.0.0.1, as the simulator meets a real one. */
async function served(
  test: (url: string, api: TestService) => Promise<void>,
  options: Parameters<typeof testService>[0] = {},
) {
  const api = await testService(options);
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, api.app.fetch);
  try {
    await test(`http://127.0.0.1:${server.addr.port}`, api);
  } finally {
    await server.shutdown();
  }
}

Deno.test("the simulator refuses targets other than this machine", () => {
  assert.throws(() => assertLocalTarget("http://example.com:8080"), /only targets 127.0.0.1/);
  assertLocalTarget("http://127.0.0.1:8080");
});

Deno.test("a few viewers for a few seconds: the service's QoE figures are their truth", async () => {
  await served(async (url, api) => {
    const content = `sim-${crypto.randomUUID()}`;
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const reports: number[] = [];
    const summary = await runPlayers({
      ...FEW,
      url,
      viewers: 5,
      durationSec: 3,
      maxRequests: 1_000,
      heartbeatMs: 300,
      rampSec: 1,
      chances: { ...DEFAULT_CHANCES, exitBeforeStart: 0, failBeforeStart: 0, stall: 0.2 },
      contents: [content],
      concurrency: 8,
      reportEverySec: 1,
      onReport: (figures) => reports.push(figures.requests),
    });
    assert.deepEqual(summary.total.errors, {});
    // At least each viewer's first post (due within the ramp); more as the machine allows.
    assert.ok(summary.total.requests >= 5, JSON.stringify(summary.total));
    assert.ok(summary.total.events_accepted >= summary.total.requests);
    // Every post went out at or after its viewer's clock called for it, before the run stopped.
    assert.ok(summary.posts_due >= summary.total.requests, JSON.stringify(summary));
    assert.notEqual(summary.total.send_delay_ms.p99, null);
    assert.ok(reports.length >= 2);
    await api.settled();

    const truth = summarizeTruth(summary.sessions);
    const range = `from=${new Date(minute).toISOString()}&to=${
      new Date(minute + 180_000).toISOString()
    }`;
    const read = await api.call("GET", `/v1/qoe/content/${content}?window=1m&${range}`);
    const metrics = read.body.metrics as Record<string, number>;
    assert.equal(metrics.plays, truth.plays, JSON.stringify(read.body));
    assert.equal(metrics.video_starts, truth.video_starts);
    assert.equal(metrics.played_ms, truth.played_ms);
    assert.equal(metrics.rebuffers, truth.rebuffers + summary.open_stalls);

    const viewer = summary.sessions[0]!;
    const listed = await api.call("GET", "/v1/me/sessions", undefined, {
      "x-user-id": viewer.user_id,
    });
    const ids = (listed.body.sessions as { session_id: string }[]).map((s) => s.session_id);
    assert.ok(ids.includes(viewer.session_id), JSON.stringify(listed.body));
  });
});

Deno.test("the request budget stops the run early", async () => {
  await served(async (url) => {
    const summary = await runPlayers({
      ...FEW,
      url,
      viewers: 20,
      durationSec: 60,
      maxRequests: 15,
      heartbeatMs: 200,
      rampSec: 0,
      concurrency: 4,
      reportEverySec: 60,
    });
    assert.equal(summary.total.requests, 15);
    // All 20 viewers were due at the start: the posts not sent still count as due.
    assert.ok(summary.posts_due >= 20, `${summary.posts_due} posts due`);
  });
});

Deno.test({
  name: "viewers of a transcoded video fetch its playlists, then a segment per heartbeat",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const root = await mkdtemp(join(tmpdir(), "players-test-"));
    const storage = await FsBlobStorage.open(root);
    const signer = new SecureLinkSigner([{ kid: "p1", secret: "players-test-secret-1234" }]);
    const media = { storage, signer, urlTtlSec: 600, delivery: "proxy" as const };
    try {
      await served(async (url, api) => {
        const { video_id, prefix } = await storeCompletedTranscode(api.store, storage);
        const variant = "#EXTM3U\n#EXTINF:4.0,\nseg-0.ts\n#EXTINF:4.0,\nseg-1.ts\n#EXT-X-ENDLIST\n";
        await storage.put(`${prefix}hls/240p/index.m3u8`, new TextEncoder().encode(variant), {
          contentType: "application/vnd.apple.mpegurl",
        });
        for (const name of ["seg-0.ts", "seg-1.ts"]) {
          await storage.put(`${prefix}hls/240p/${name}`, new Uint8Array(1_000), {
            contentType: "video/mp2t",
          });
        }
        await api.settled();
        const summary = await runPlayers({
          ...FEW,
          url,
          viewers: 3,
          durationSec: 3,
          maxRequests: 1_000,
          heartbeatMs: 300,
          rampSec: 0,
          chances: { ...DEFAULT_CHANCES, exitBeforeStart: 0, failBeforeStart: 0, stop: 0 },
          hlsContent: video_id,
          concurrency: 8,
          reportEverySec: 60,
        });
        assert.deepEqual(summary.total.errors, {});
        const routes = summary.total.requests_by_route;
        assert.equal(routes["GET /v1/videos/:id/playback"], 3);
        assert.equal(routes["GET master.m3u8"], 3);
        assert.equal(routes["GET variant.m3u8"], 3);
        assert.ok((routes["GET segment"] ?? 0) >= 3, JSON.stringify(routes));
        assert.ok(summary.sessions.every((s) => s.content_id === video_id));
      }, { media });
    } finally {
      await storage.close();
      await rm(root, { recursive: true, force: true });
    }
  },
});
