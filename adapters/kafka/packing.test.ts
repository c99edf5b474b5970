import assert from "node:assert/strict";
import {
  afterMessage,
  atMessageStart,
  MAX_PACKED_CHARS,
  messageOffset,
  pack,
  recordOffset,
  recordOffsetText,
  RECORDS_PER_MESSAGE,
  unpack,
} from "./packing.ts";

Deno.test("runs of one key become one message each, in order", () => {
  const messages = pack([
    { key: "a", value: { n: 0 } },
    { key: "a", value: { n: 1 } },
    { key: "b", value: { n: 2 } },
    { key: "a", value: { n: 3 } },
  ]);
  assert.deepEqual(messages, [
    { key: "a", value: '[{"n":0},{"n":1}]' },
    { key: "b", value: '{"n":2}' },
    { key: "a", value: '{"n":3}' },
  ]);
  assert.deepEqual(messages.map((m) => unpack(String(m.value))), [
    [{ n: 0 }, { n: 1 }],
    [{ n: 2 }],
    [{ n: 3 }],
  ]);
});

Deno.test("a long run is split by record count and by size", () => {
  const many = Array.from(
    { length: RECORDS_PER_MESSAGE + 1 },
    (_, n) => ({ key: "k", value: { n } }),
  );
  assert.deepEqual(pack(many).map((m) => unpack(String(m.value))!.length), [
    RECORDS_PER_MESSAGE,
    1,
  ]);
  const big = "x".repeat(MAX_PACKED_CHARS / 3);
  const large = Array.from({ length: 4 }, (_, n) => ({ key: "k", value: { n, big } }));
  const sizes = pack(large).map((m) => unpack(String(m.value))!.length);
  assert.deepEqual(sizes, [2, 2]);
  assert.ok(pack(large).every((m) => String(m.value).length <= MAX_PACKED_CHARS));
});

Deno.test("a single object (a message written before packing) is one record", () => {
  assert.deepEqual(unpack('{"type":"heartbeat"}'), [{ type: "heartbeat" }]);
});

Deno.test("anything but JSON objects is refused", () => {
  for (const text of ["", "not json", "[]", "[1]", '[{"a":1},null]', "42", '"text"', "[[]]"]) {
    assert.equal(unpack(text), undefined, text);
  }
});

Deno.test("record offsets ascend within and across messages, and map back to their message", () => {
  const offsets = [recordOffset(0n, 0), recordOffset(0n, 99), recordOffset(1n, 0)];
  assert.deepEqual(offsets, [0n, 99n, 1000n]);
  assert.deepEqual(offsets.map(messageOffset), [0n, 0n, 1n]);
  assert.equal(afterMessage(0n), recordOffset(1n, 0));
  assert.deepEqual(offsets.map(atMessageStart), [true, false, true]);
  // 64-bit Kafka offsets still fit.
  const last = (1n << 63n) - 1n;
  assert.equal(messageOffset(recordOffset(last, 999)), last);
});

Deno.test("record offsets as text match the arithmetic", () => {
  for (const kafkaOffset of [0n, 1n, 9n, 10n, 123n, 9_007_199_254_740_993n]) {
    for (const index of [0, 1, 9, 10, 99, 100, 999]) {
      assert.equal(
        recordOffsetText(String(kafkaOffset), index),
        String(recordOffset(kafkaOffset, index)),
      );
    }
  }
});
