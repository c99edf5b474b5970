import assert from "node:assert/strict";
import { Partitioners } from "kafkajs";
import { murmur2, partitionFor } from "./partition.ts";

Deno.test("murmur2 matches Kafka's own test vectors", () => {
  // Kafka's UtilsTest.testMurmur2 (Java client), then length edge cases and librdkafka's
  // rdmurmur2.c cases, which check the same function.
  const cases: [string, number][] = [
    ["21", -973932308],
    ["foobar", -790332482],
    ["a-little-bit-long-string", -985981536],
    ["a-little-bit-longer-string", -1486304829],
    ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
    ["abc", 479470107],
    ["string-f-24-chars-length", 124730809],
    ["string-fo-25-chars-length", 1269511650],
    ["string-foo-26-chars-length", 119165628],
    ["string-last-27-chars-length", 1089971754],
    ["kafka", -798503068],
    ["giberish123456789", -1890243828],
    ["1234", -1614185708],
    ["234", -406844982],
    ["34", -2026295078],
    ["4", 1514888353],
  ];
  for (const [key, expected] of cases) {
    assert.equal(murmur2(new TextEncoder().encode(key)), expected, key);
  }
});

Deno.test("partitionFor agrees with kafkajs's DefaultPartitioner (Java-compatible)", () => {
  const partitioner = Partitioners.DefaultPartitioner();
  const keys = [
    "",
    "a",
    "session-1",
    "Лёд",
    "千と千尋",
    "🎬🍿",
    "e\u0301",
    ...Array.from({ length: 2_000 }, () => crypto.randomUUID()),
  ];
  for (const partitions of [1, 3, 6, 7, 64]) {
    const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
      offlineReplicas: [],
      partitionErrorCode: 0,
    }));
    for (const key of keys) {
      const expected = partitioner({
        topic: "t",
        partitionMetadata,
        message: { key, value: null },
      });
      assert.equal(partitionFor(key, partitions), expected, `"${key}" among ${partitions}`);
    }
  }
});

Deno.test("partitionFor rejects a partition count that is not a positive integer", () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => partitionFor("a", bad), RangeError);
  }
});
