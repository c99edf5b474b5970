import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { ANY, NO_STREAM, STREAM_EXISTS } from "@eventstore/db-client";
import { InvalidEventError } from "../../domain/ports/event-store.ts";
import {
  batchesOf,
  findStoredIds,
  formatPosition,
  fromStoredMetadata,
  isAfter,
  isSystemEvent,
  parsePosition,
  SCHEMA_VERSION_KEY,
  toExpectedRevision,
  toStoredMetadata,
  toVersion,
} from "./mapping.ts";

Deno.test("expected versions map to EventStoreDB revisions one lower", () => {
  assert.equal(toExpectedRevision("any"), ANY);
  assert.equal(toExpectedRevision("no_stream"), NO_STREAM);
  assert.equal(toExpectedRevision("stream_exists"), STREAM_EXISTS);
  assert.equal(toExpectedRevision(0), NO_STREAM);
  assert.equal(toExpectedRevision(1), 0n);
  assert.equal(toExpectedRevision(42), 41n);
  for (const bad of [-1, 1.5, Number.NaN]) assert.throws(() => toExpectedRevision(bad), RangeError);
});

Deno.test("a stream's version is its last revision plus one", () => {
  assert.equal(toVersion(NO_STREAM), 0);
  assert.equal(toVersion(0n), 1);
  assert.equal(toVersion(41n), 42);
});

Deno.test("positions round-trip through their token and order like $all", () => {
  const position = { commit: 18446744073709551000n, prepare: 1234n };
  assert.equal(formatPosition(position), "18446744073709551000/1234");
  assert.deepEqual(parsePosition(formatPosition(position)), position);
  for (const bad of ["", "12", "1/2/3", "a/b", "-1/0", " 1/2"]) {
    assert.throws(() => parsePosition(bad), RangeError, bad);
  }
  assert.ok(isAfter({ commit: 2n, prepare: 0n }, { commit: 1n, prepare: 5n }));
  assert.ok(isAfter({ commit: 1n, prepare: 6n }, { commit: 1n, prepare: 5n }));
  assert.ok(!isAfter({ commit: 1n, prepare: 5n }, { commit: 1n, prepare: 5n }));
  assert.ok(!isAfter({ commit: 0n, prepare: 9n }, { commit: 1n, prepare: 5n }));
});

Deno.test("schema_version travels in the metadata and is stripped again", () => {
  const metadata = { correlation_id: "c-1", actor: "user-1" };
  const stored = toStoredMetadata(metadata, 3);
  assert.deepEqual(stored, { ...metadata, [SCHEMA_VERSION_KEY]: 3 });
  assert.deepEqual(fromStoredMetadata(JSON.parse(JSON.stringify(stored))), {
    metadata,
    schema_version: 3,
  });
  assert.deepEqual(fromStoredMetadata(toStoredMetadata({}, 1)), {
    metadata: {},
    schema_version: 1,
  });
  assert.throws(() => toStoredMetadata({ [SCHEMA_VERSION_KEY]: 2 }, 1), InvalidEventError);
});

Deno.test("events written by other tools read as schema version 1", () => {
  assert.deepEqual(fromStoredMetadata(undefined), { metadata: {}, schema_version: 1 });
  assert.deepEqual(fromStoredMetadata(new Uint8Array([1])), { metadata: {}, schema_version: 1 });
  assert.deepEqual(fromStoredMetadata({ $correlationId: "x" }), {
    metadata: { $correlationId: "x" },
    schema_version: 1,
  });
});

Deno.test("system events are recognised by stream or type", () => {
  assert.ok(isSystemEvent({ streamId: "$stats-127.0.0.1:2113", type: "$statsCollected" }));
  assert.ok(isSystemEvent({ streamId: "$$movie-1", type: "$metadata" }));
  assert.ok(isSystemEvent({ streamId: "movie-1", type: "$>" }));
  assert.ok(!isSystemEvent({ streamId: "movie-1", type: "MovieAdded" }));
});

Deno.test("stored ids tell a repeated batch from an overlap", () => {
  const [a, b, c, d] = ["A", "B", "C", "D"].map((x) =>
    `${x.repeat(8)}-0000-0000-0000-000000000000`
  );
  const stream = [a!, b!, c!].map((id, i) => ({
    event_id: id.toLowerCase(),
    stream_version: i + 1,
  }));

  assert.deepEqual(findStoredIds([a!, b!], stream), {
    stored: stream.slice(0, 2),
    sameBatch: true,
  });
  assert.deepEqual(findStoredIds([b!, c!], stream), { stored: stream.slice(1), sameBatch: true });
  assert.equal(findStoredIds([b!, a!], stream).sameBatch, false, "out of order");
  assert.equal(findStoredIds([a!, c!], stream).sameBatch, false, "not back to back");
  assert.deepEqual(findStoredIds([c!, d!], stream), { stored: [stream[2]], sameBatch: false });
  assert.deepEqual(findStoredIds([d!], stream), { stored: [], sameBatch: false });
});

Deno.test("batchesOf yields what has arrived, up to maxCount", async () => {
  const source = new PassThrough({ objectMode: true });
  for (let i = 0; i < 5; i++) source.write(i);
  const batches = batchesOf<number>(source, { maxCount: 3, lingerMs: 1 });
  assert.deepEqual((await batches.next()).value, [0, 1, 2]);
  assert.deepEqual((await batches.next()).value, [3, 4]);

  setTimeout(() => source.write(5), 10);
  assert.deepEqual((await batches.next()).value, [5], "waits for the next item");
  source.end();
  assert.equal((await batches.next()).done, true, "returns when the source ends");
});

Deno.test("batchesOf stops on abort and rethrows source errors", async () => {
  const abort = new AbortController();
  const idle = new PassThrough({ objectMode: true });
  const waiting = batchesOf<number>(idle, { maxCount: 10, lingerMs: 1, signal: abort.signal })
    .next();
  setTimeout(() => abort.abort(), 10);
  assert.equal((await waiting).done, true);

  const failing = new PassThrough({ objectMode: true });
  const batches = batchesOf<number>(failing, { maxCount: 10, lingerMs: 1 });
  failing.write(1);
  assert.deepEqual((await batches.next()).value, [1]);
  failing.destroy(new Error("connection lost"));
  await assert.rejects(batches.next(), /connection lost/);
});

Deno.test("batchesOf pauses the source while a full batch waits", async () => {
  const source = new PassThrough({ objectMode: true });
  const batches = batchesOf<number>(source, { maxCount: 2, lingerMs: 1 });
  const first = batches.next();
  for (let i = 0; i < 5; i++) source.write(i);
  assert.deepEqual((await first).value, [0, 1]);
  assert.equal(source.isPaused(), false, "resumed once the batch was taken");
  assert.deepEqual((await batches.next()).value, [2, 3]);
  await batches.return(undefined);
  assert.equal(source.isPaused(), true, "left paused when the consumer stops");
});
