/**
 * The kafkajs encoder patches of ops/patches/apply.mjs: encoders do not zero-fill what they
 * allocate, and a batch's records are copied into one encoder of their size, not one that doubles
 * as they come.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { CompressionTypes } from "kafkajs";
import Encoder from "kafkajs/src/protocol/encoder.js";
import Record from "kafkajs/src/protocol/recordBatch/record/v0/index.js";
import { RecordBatch } from "kafkajs/src/protocol/recordBatch/v0/index.js";

/** Buffer.alloc and Buffer.allocUnsafe calls (their sizes) while `work` runs. */
async function allocations(work: () => Promise<unknown>) {
  const { alloc, allocUnsafe } = Buffer;
  const seen = { zeroed: [] as number[], unzeroed: [] as number[] };
  Buffer.alloc = ((size: number, ...rest: []) => {
    seen.zeroed.push(size);
    return alloc(size, ...rest);
  }) as typeof Buffer.alloc;
  Buffer.allocUnsafe = (size: number) => {
    seen.unzeroed.push(size);
    return allocUnsafe(size);
  };
  try {
    await work();
  } finally {
    Object.assign(Buffer, { alloc, allocUnsafe });
  }
  return seen;
}

Deno.test("a kafkajs encoder allocates without zero-filling, and still yields what it wrote", async () => {
  let bytes: Buffer | undefined;
  const seen = await allocations(() => {
    bytes = new Encoder().writeInt32(7).writeString("x".repeat(2_000)).buffer;
    return Promise.resolve();
  });
  assert.deepEqual(seen.zeroed, []);
  assert.ok(seen.unzeroed.length >= 2, "the first buffer and one grown one");
  assert.equal(bytes!.readInt32BE(0), 7);
  assert.equal(bytes!.readInt16BE(4), 2_000);
  assert.equal(bytes!.subarray(6).toString(), "x".repeat(2_000));
  assert.equal(bytes!.length, 6 + 2_000);
});

Deno.test("a compressed batch's records are copied into one encoder of their size", async () => {
  const values = Array.from(
    { length: 6 },
    (_, i) => JSON.stringify({ i, text: "y".repeat(40_000) }),
  );
  const records = values.map((value, offsetDelta) => Record({ offsetDelta, key: "k", value }));
  const total = records.reduce((size, record) => size + record.offset, 0);
  const seen = await allocations(() =>
    // The JavaScript source types its default (an empty array) as never[].
    RecordBatch({ compression: CompressionTypes.GZIP, records: records as never[] })
  );
  // One buffer for all the records (the next power of two above their size), none on the way.
  const large = [...seen.zeroed, ...seen.unzeroed].filter((size) => size >= total / 2);
  assert.deepEqual(large, [2 ** Math.ceil(Math.log2(total))]);
});
