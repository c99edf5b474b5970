import assert from "node:assert/strict";
import { Kafka, logLevel } from "kafkajs";
import { TelemetryLogUnavailableError } from "../../domain/ports/telemetry-log.ts";
import { runTelemetryLogContract } from "../telemetry-log/contract.ts";
import { deleteTopics } from "../testing/engines.ts";
import { integrationTest } from "../testing/integration.ts";
import { KafkaTelemetryLog } from "./telemetry-log.ts";
import { PrometheusRegistry } from "../metrics/prometheus-registry.ts";

const run = crypto.randomUUID().slice(0, 8);

integrationTest({
  name: "Kafka telemetry log meets the telemetry log contract",
  requires: ["KAFKA_BROKERS"],
  fn: async ({ KAFKA_BROKERS }, t) => {
    const brokers = KAFKA_BROKERS.split(",");
    const topics: string[] = [];
    try {
      // A topic per step: each starts with an empty log.
      await runTelemetryLogContract(t, () => {
        const topic = `telemetry-test-${run}-${topics.length}`;
        topics.push(topic);
        return Promise.resolve(new KafkaTelemetryLog({ brokers, topic, partitions: 6 }));
      }, { partitions: 6 });
    } finally {
      await deleteTopics(brokers, topics);
    }
  },
});

integrationTest({
  name: "Kafka telemetry log creates its topic with the configured partition count",
  requires: ["KAFKA_BROKERS"],
  fn: async ({ KAFKA_BROKERS }) => {
    const brokers = KAFKA_BROKERS.split(",");
    const topic = `telemetry-test-${run}-partitions`;
    const log = new KafkaTelemetryLog({ brokers, topic, partitions: 3 });
    // A second log (another process, say) finds the topic there and keeps its partitions.
    const other = new KafkaTelemetryLog({ brokers, topic, partitions: 5 });
    try {
      assert.equal(await log.partitionCount(), 3);
      assert.equal(await other.partitionCount(), 3);
    } finally {
      await log.close();
      await other.close();
      await deleteTopics(brokers, [topic]);
    }
  },
});

integrationTest({
  name:
    "Kafka telemetry log reads messages of one record each (written before packing) and packed ones",
  requires: ["KAFKA_BROKERS"],
  fn: async ({ KAFKA_BROKERS }) => {
    const brokers = KAFKA_BROKERS.split(",");
    const topic = `telemetry-test-${run}-legacy`;
    const log = new KafkaTelemetryLog({ brokers, topic, partitions: 1, compression: "none" });
    const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer();
    try {
      await log.partitionCount(); // creates the topic
      await producer.connect();
      const legacy = [0, 1].map((n) => ({ key: "s", value: JSON.stringify({ n }) }));
      await producer.send({ topic, acks: -1, messages: legacy });
      await log.append([2, 3, 4].map((n) => ({ key: "s", value: { n } })));
      await log.append([{ key: "s", value: { n: 5 } }]);
      const records = [];
      for await (
        const batch of log.consume({
          group: `${run}-legacy`,
          startOffset: () => Promise.resolve(undefined),
        })
      ) {
        records.push(...batch.records);
        if (records.length >= 6) break;
      }
      assert.deepEqual(records.map((r) => r.value.n), [0, 1, 2, 3, 4, 5]);
      // Kafka offsets 0 and 1 hold one record each, 2 the packed three, 3 the last one.
      assert.deepEqual(records.map((r) => r.offset), ["0", "1000", "2000", "2001", "2002", "3000"]);
      assert.deepEqual(await log.endOffsets(), new Map([[0, "4000"]]));
    } finally {
      await producer.disconnect();
      await log.close();
      await deleteTopics(brokers, [topic]);
    }
  },
});

integrationTest({
  name: "Kafka telemetry log reads back what it wrote with each compression, in order per key",
  requires: ["KAFKA_BROKERS"],
  fn: async ({ KAFKA_BROKERS }, t) => {
    const brokers = KAFKA_BROKERS.split(",");
    for (const compression of ["zstd", "gzip", "none"] as const) {
      await t.step(compression, async () => {
        const topic = `telemetry-test-${run}-${compression}`;
        const log = new KafkaTelemetryLog({ brokers, topic, partitions: 3, compression });
        try {
          // Concurrent appends share sends: every record comes back, each call's in order per key.
          await Promise.all(
            [0, 1, 2, 3].map((call) =>
              log.append(
                ["a", "b", "c"].flatMap((key) =>
                  [0, 1].map((i) => ({
                    key,
                    value: { key, n: call * 2 + i, text: "é".repeat(50) },
                  }))
                ),
              )
            ),
          );
          const byKey = new Map<string, number[]>();
          let count = 0;
          for await (
            const batch of log.consume({
              group: `${run}-${compression}`,
              startOffset: () => Promise.resolve(undefined),
            })
          ) {
            for (const { key, value } of batch.records) {
              byKey.set(key, [...(byKey.get(key) ?? []), Number(value.n)]);
              assert.equal(value.text, "é".repeat(50));
            }
            count += batch.records.length;
            if (count >= 24) break;
          }
          for (const [key, ns] of byKey) {
            assert.deepEqual(ns.toSorted((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7], key);
            [0, 2, 4, 6].forEach((n) => assert.ok(ns.indexOf(n) < ns.indexOf(n + 1), key));
          }
          assert.equal(byKey.size, 3);
        } finally {
          await log.close();
          await deleteTopics(brokers, [topic]);
        }
      });
    }
  },
});

Deno.test("Kafka append fails as unavailable within its deadline when no broker answers", async () => {
  // Nothing listens on port 1: every connection attempt is refused.
  const log = new KafkaTelemetryLog({ brokers: ["127.0.0.1:1"], appendTimeoutMs: 3_000 });
  const started = Date.now();
  try {
    await assert.rejects(log.append([{ key: "s", value: {} }]), TelemetryLogUnavailableError);
    assert.ok(Date.now() - started < 4_000, `took ${Date.now() - started} ms`);
    await assert.rejects(log.ping(), TelemetryLogUnavailableError);
  } finally {
    await log.close();
  }
});

Deno.test("a failed append counts as a producer error on /metrics", async () => {
  const metrics = new PrometheusRegistry();
  const log = new KafkaTelemetryLog({ brokers: ["127.0.0.1:1"], appendTimeoutMs: 1_000, metrics });
  try {
    await assert.rejects(log.append([{ key: "s", value: {} }]), TelemetryLogUnavailableError);
    assert.match(await metrics.render(), /^kafka_producer_errors_total\{kind="unavailable"\} 1$/m);
  } finally {
    await log.close();
  }
});

integrationTest({
  name: "Kafka telemetry logs on two topics keep groups of the same name apart",
  requires: ["KAFKA_BROKERS"],
  fn: async ({ KAFKA_BROKERS }) => {
    const brokers = KAFKA_BROKERS.split(",");
    // Two deployments on one cluster, each with its projection of the same name and generation.
    const topics = ["a", "b"].map((name) => `telemetry-test-${run}-deployment-${name}`);
    const logs = topics.map((topic) => new KafkaTelemetryLog({ brokers, topic, partitions: 3 }));
    try {
      await Promise.all(
        logs.map((log, i) =>
          log.append(["k1", "k2", "k3", "k4", "k5", "k6"].map((key) => ({ key, value: { i } })))
        ),
      );
      const readAll = async (log: KafkaTelemetryLog) => {
        const records = [];
        for await (
          const batch of log.consume({
            group: `projection.sessions.g1-${run}`,
            startOffset: () => Promise.resolve(undefined),
            signal: AbortSignal.timeout(30_000),
          })
        ) {
          records.push(...batch.records);
          if (records.length >= 6) break;
        }
        return records.map((record) => record.value.i);
      };
      // Sharing a Kafka group, each member would be handed partitions of the other's topic.
      const [first, second] = await Promise.all(logs.map(readAll));
      assert.deepEqual(first, Array(6).fill(0));
      assert.deepEqual(second, Array(6).fill(1));
    } finally {
      await Promise.all(logs.map((log) => log.close()));
      await deleteTopics(brokers, topics);
    }
  },
});
