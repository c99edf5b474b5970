import assert from "node:assert/strict";
import { TRANSCODED_BYTES as bytes, withSignedMp4 } from "../testing/media.ts";
import type { TestService } from "../testing/service.ts";

async function metricsText(service: TestService): Promise<string> {
  return await (await service.app.request("/metrics")).text();
}

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

test("signed media requests carry request and correlation ids and are counted", () =>
  withSignedMp4(async (service, mp4) => {
    const ranged = await service.app.request(mp4, {
      headers: { range: "bytes=10-19", "x-correlation-id": "checkout-42" },
    });
    assert.equal(ranged.status, 206);
    assert.deepEqual(new Uint8Array(await ranged.arrayBuffer()), bytes.slice(10, 20));
    assert.equal(ranged.headers.get("x-correlation-id"), "checkout-42");
    assert.match(ranged.headers.get("x-request-id")!, /^[0-9a-f-]{36}$/);

    const named = await service.app.request(mp4, {
      method: "HEAD",
      headers: { "x-request-id": "req-7", "x-correlation-id": "not valid!" },
    });
    assert.equal(named.status, 200);
    assert.equal(named.headers.get("x-request-id"), "req-7");
    assert.equal(named.headers.get("x-correlation-id"), "req-7");

    const refused = await service.app.request(mp4.replace(/\/stream\/l1\/\d+\//, "/stream/l1/1/"));
    assert.equal(refused.status, 403);
    await refused.body?.cancel();

    const text = await metricsText(service);
    const route = 'route="/v1/videos/:id/stream/\\*"';
    for (const [method, status] of [["GET", 206], ["HEAD", 200], ["GET", 403]]) {
      const counted = new RegExp(
        `^http_requests_total\\{method="${method}",${route},status="${status}"\\} 1$`,
        "m",
      );
      assert.match(text, counted);
    }
    assert.match(
      text,
      new RegExp(`^http_request_duration_seconds_count\\{.*${route}.*\\} \\d`, "m"),
    );
  }));

test("media requests the app must see still go through it", () =>
  withSignedMp4(async (service, mp4) => {
    // AUTH_MODE=off refuses a malformed X-User-Id on every route.
    const malformed = await service.app.request(mp4, { headers: { "x-user-id": "u".repeat(200) } });
    assert.equal(malformed.status, 400);
    await malformed.body?.cancel();

    // CMCD on a media request becomes playback telemetry (beside the answer, not awaited).
    const withCmcd = await service.app.request(mp4, {
      headers: {
        range: "bytes=0-9",
        "cmcd-request": "bl=21300",
        "cmcd-session": `sid="${crypto.randomUUID()}"`,
      },
    });
    assert.equal(withCmcd.status, 206);
    await withCmcd.body?.cancel();
    for (let i = 0; !/^telemetry_events_total/m.test(await metricsText(service)); i++) {
      assert.ok(i < 100, "the CMCD of the media request was not ingested");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const query = await service.app.request(`${mp4}?x=1`, { headers: { range: "bytes=0-9" } });
    assert.equal(query.status, 206);
    assert.deepEqual(new Uint8Array(await query.arrayBuffer()), bytes.slice(0, 10));
  }));

test("concurrent range requests each answer their own bytes", () =>
  withSignedMp4(async (service, mp4) => {
    // Small ranges are read into reused buffers (read-api/media/buffer-pool.ts): each answer must
    // hold its own copy, also when the next request reuses the buffer before the body is read.
    const ranges = Array.from({ length: 48 }, (_, i) => {
      const start = (i * 37_771) % (bytes.length - 70_000);
      return { start, end: start + 1_000 + (i % 5) * 16_000 };
    });
    const answers = await Promise.all(
      ranges.map(({ start, end }) =>
        service.app.request(mp4, { headers: { range: `bytes=${start}-${end}` } })
      ),
    );
    for (const [i, answer] of answers.entries()) {
      const { start, end } = ranges[i]!;
      assert.equal(answer.status, 206);
      assert.deepEqual(new Uint8Array(await answer.arrayBuffer()), bytes.slice(start, end + 1));
    }
  }));
