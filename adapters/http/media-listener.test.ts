import assert from "node:assert/strict";
import { TRANSCODED_BYTES as bytes, withSignedMp4 } from "../testing/media.ts";
import type { TestService } from "../testing/service.ts";
import { runtime } from "../runtime/deno.ts";
import { serveMediaListener } from "./media-listener.ts";
import { leanMediaPathOf } from "./service-app.ts";

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

/** The service's media port on a free port, with a signed MP4 URL. */
function withMediaPort(
  fn: (base: string, mp4: string, service: TestService) => Promise<void>,
  idleTimeoutMs?: number,
) {
  return withSignedMp4(async (service, mp4) => {
    const listener = runtime.listen!({ host: "127.0.0.1", port: 0 });
    const port = serveMediaListener(listener, {
      lean: leanMediaPathOf(service.app)!,
      app: service.app.fetch,
      idleTimeoutMs,
    });
    try {
      await fn(`http://127.0.0.1:${listener.port}`, mp4, service);
    } finally {
      await port.shutdown();
    }
  });
}

/** Sends raw bytes on one connection and reads until `done` says the answer is complete. */
async function exchange(base: string, text: string, done: (answer: string) => boolean) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(base).port) });
  try {
    await conn.write(new TextEncoder().encode(text));
    const decoder = new TextDecoder("latin1");
    const buffer = new Uint8Array(1 << 20);
    let answer = "";
    while (!done(answer)) {
      const read = await conn.read(buffer);
      if (read === null) break;
      answer += decoder.decode(buffer.subarray(0, read), { stream: true });
    }
    return answer;
  } finally {
    conn.close();
  }
}

test("the media port answers ranges, HEAD, If-Range, ETag and 416 as the main port does", () =>
  withMediaPort(async (base, mp4, service) => {
    const ranged = await fetch(base + mp4, { headers: { range: "bytes=100-65635" } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get("content-range"), `bytes 100-65635/${bytes.length}`);
    assert.equal(ranged.headers.get("content-length"), "65536");
    assert.equal(ranged.headers.get("content-type"), "video/mp4");
    assert.equal(ranged.headers.get("accept-ranges"), "bytes");
    assert.match(ranged.headers.get("cache-control")!, /^public, max-age=\d+, immutable$/);
    assert.match(ranged.headers.get("x-request-id")!, /^[0-9a-f-]{36}$/);
    assert.ok(ranged.headers.get("date"));
    assert.deepEqual(new Uint8Array(await ranged.arrayBuffer()), bytes.slice(100, 65636));

    // The same headers as the app answers with, besides the ids and Date.
    const viaApp = await service.app.request(mp4, { headers: { range: "bytes=100-65635" } });
    await viaApp.body?.cancel();
    for (const name of ["content-type", "content-range", "etag", "last-modified"]) {
      assert.equal(ranged.headers.get(name), viaApp.headers.get(name), name);
    }

    const whole = await fetch(base + mp4);
    assert.equal(whole.status, 200);
    assert.deepEqual(new Uint8Array(await whole.arrayBuffer()), bytes);

    const head = await fetch(base + mp4, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), String(bytes.length));
    const etag = head.headers.get("etag")!;

    const stale = await fetch(base + mp4, { headers: { range: "bytes=0-9", "if-range": '"x"' } });
    assert.equal(stale.status, 200);
    assert.equal((await stale.arrayBuffer()).byteLength, bytes.length);
    const fresh = await fetch(base + mp4, { headers: { range: "bytes=0-9", "if-range": etag } });
    assert.equal(fresh.status, 206);
    assert.deepEqual(new Uint8Array(await fresh.arrayBuffer()), bytes.slice(0, 10));

    const unchanged = await fetch(base + mp4, { headers: { "if-none-match": etag } });
    assert.equal(unchanged.status, 304);
    await unchanged.body?.cancel();

    const outside = await fetch(base + mp4, { headers: { range: `bytes=${bytes.length}-` } });
    assert.equal(outside.status, 416);
    assert.equal(outside.headers.get("content-range"), `bytes */${bytes.length}`);
    await outside.body?.cancel();
  }));

test("the media port refuses wrong, expired and tampered signatures with 403", () =>
  withMediaPort(async (base, mp4) => {
    const expired = mp4.replace(/\/stream\/l1\/\d+\//, "/stream/l1/1/");
    const tampered = mp4.replace(/progressive\.mp4$/, "poster.jpg").replace(
      /\/stream\/l1\/(\d+)\/[^/]+\//,
      "/stream/l1/$1/AAAAAAAAAAAAAAAAAAAAAA/",
    );
    for (const url of [expired, tampered]) {
      const refused = await fetch(base + url);
      assert.equal(refused.status, 403);
      assert.equal(refused.headers.get("content-type"), "application/problem+json");
      assert.equal((await refused.json()).status, 403);
    }
  }));

test("the media port hands other GETs to the app and counts its own requests", () =>
  withMediaPort(async (base, mp4) => {
    const query = await fetch(`${base}${mp4}?x=1`, { headers: { range: "bytes=0-9" } });
    assert.equal(query.status, 206);
    assert.deepEqual(new Uint8Array(await query.arrayBuffer()), bytes.slice(0, 10));

    const health = await fetch(`${base}/health`);
    assert.equal(health.status, 200);
    await health.body?.cancel();

    // Answered by the lean path on the media port: counted and logged there.
    const outside = await fetch(base + mp4, { headers: { range: "bytes=999999999-" } });
    assert.equal(outside.status, 416);
    await outside.body?.cancel();

    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(
      metrics,
      /^http_requests_total\{method="GET",route="\/v1\/videos\/:id\/stream\/\*",status="416"\} 1$/m,
    );
  }));

test("the media port keeps connections alive, answers pipelined requests in order, refuses bodies", () =>
  withMediaPort(async (base, mp4) => {
    const get = (range: string) =>
      `GET ${mp4} HTTP/1.1\r\nhost: x\r\nrange: bytes=${range}\r\n\r\n`;
    const answers = await exchange(
      base,
      get("0-4") + get("5-9"),
      (text) =>
        text.split("HTTP/1.1 206").length === 3 && text.endsWith(latin1(bytes.slice(5, 10))),
    );
    const bodies = answers.split(/HTTP\/1\.1 206 Partial Content\r\n[^]*?\r\n\r\n/).slice(1);
    assert.deepEqual(bodies, [latin1(bytes.slice(0, 5)), latin1(bytes.slice(5, 10))]);

    const withBody = await exchange(
      base,
      `GET ${mp4} HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\n\r\nabc`,
      (text) => text.includes("}"),
    );
    assert.match(withBody, /^HTTP\/1\.1 400 /);
    assert.match(withBody, /\r\nconnection: close\r\n/);

    const post = await exchange(
      base,
      `POST ${mp4} HTTP/1.1\r\nhost: x\r\n\r\n`,
      (t) => t.includes("}"),
    );
    assert.match(post, /^HTTP\/1\.1 405 /);
    assert.match(post, /\r\nallow: GET, HEAD\r\n/);

    const garbage = await exchange(base, "HELLO\r\n\r\n", (text) => text.includes("}"));
    assert.match(garbage, /^HTTP\/1\.1 400 /);

    const huge = await exchange(
      base,
      `GET / HTTP/1.1\r\nx: ${"a".repeat(20_000)}`,
      (t) => t.includes("}"),
    );
    assert.match(huge, /^HTTP\/1\.1 431 /);
  }));

test("the media port closes connections left idle, and those sending a head too slowly", () =>
  withMediaPort(async (base, mp4) => {
    const idle = await exchange(
      base,
      `GET ${mp4} HTTP/1.1\r\nrange: bytes=0-0\r\n\r\n`,
      () => false,
    );
    assert.match(idle, /^HTTP\/1\.1 206 /); // read until the port closed the connection
    const slow = await exchange(base, `GET ${mp4} HTTP/1.1\r\nrange: by`, () => false);
    assert.equal(slow, "");
  }, 200));

function latin1(data: Uint8Array): string {
  return new TextDecoder("latin1").decode(data);
}
