/**
 * The behaviour every TelemetryLog adapter must show, as test steps. Each step gets a new, empty
 * log from the factory (its own topic, its own tables) and closes it; the adapter's test file
 * removes whatever the factory created.
 */
import assert from "node:assert/strict";
import type {
  ConsumeOptions,
  LoggedRecord,
  TelemetryBatch,
  TelemetryLog,
  TelemetryRecord,
} from "../../domain/ports/telemetry-log.ts";
import { partitionFor } from "./partition.ts";
import { withTimeout } from "../testing/with-timeout.ts";

export interface TelemetryLogContractOptions {
  /** The partition count of the factory's logs. */
  partitions: number;
  /** Records in the concurrent-appenders step (10 000 in the full run), over 4 appenders. */
  records?: number;
  /** Longest a single consumption may take before the step fails (default 30 s). */
  timeoutMs?: number;
}

export async function runTelemetryLogContract(
  t: Deno.TestContext,
  newLog: () => Promise<TelemetryLog>,
  { partitions, records = 10_000, timeoutMs = 30_000 }: TelemetryLogContractOptions,
): Promise<void> {
  const run = crypto.randomUUID().slice(0, 8);
  const step = (name: string, fn: (log: TelemetryLog) => Promise<void>) =>
    t.step(name, async () => {
      const log = await newLog();
      try {
        await fn(log);
      } finally {
        await log.close();
      }
    });
  const consume = (log: TelemetryLog, options: Consumption) =>
    consumeUntil(log, { timeoutMs, ...options });

  await step("append and consume round-trip keys, values, partitions and offsets", async (log) => {
    assert.equal(await log.partitionCount(), partitions);
    await log.ping();
    const appended: TelemetryRecord[] = [
      { key: `${run}-a`, value: { n: 0, title: UNICODE, nested: { list: [1, 2.5, null, true] } } },
      { key: `${run}-b`, value: { n: 1 } },
      { key: `${run}-a`, value: { n: 2, big: "x".repeat(100_000) } },
    ];
    const before = Date.now();
    await log.append(appended);
    await log.append([]);
    const batches = await consume(log, { group: `${run}-round-trip`, until: atLeast(3) });
    assertWellFormed(batches);
    const consumed = batches.flatMap((batch) => batch.records).sort(byValue("n"));
    assert.deepEqual(consumed.map(({ key, value }) => ({ key, value })), appended);
    for (const record of consumed) {
      assert.equal(record.partition, partitionFor(record.key, partitions), record.key);
      const loggedAt = Date.parse(record.logged_at);
      assert.ok(loggedAt >= before - 60_000 && loggedAt <= Date.now() + 60_000, record.logged_at);
    }
    // A new log numbers each partition from 0, in append order.
    assertPartitionsInOrder(batches.flatMap((batch) => batch.records));
  });

  await step("each record carries the time of its own append", async (log) => {
    const key = `${run}-times`;
    await log.append([{ key, value: { n: 0 } }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await log.append([{ key, value: { n: 1 } }, { key, value: { n: 2 } }]);
    const batches = await consume(log, { group: `${run}-times`, until: atLeast(3) });
    const [first, second, third] = batches.flatMap((batch) => batch.records).map((record) =>
      Date.parse(record.logged_at)
    );
    assert.ok(second! - first! >= 40, `${first} then ${second}`);
    assert.ok(third! >= second!, `${second} then ${third}`);
  });

  await step("end offsets are where each partition's next record will go", async (log) => {
    assert.deepEqual(await log.endOffsets(), offsetsOf(partitions, () => 0n));
    await appendNumbered(log, `${run}-ends`, 0, 300);
    const consumed = await consume(log, { group: `${run}-ends`, until: atLeast(300) });
    // A consumer that read everything is at the end: its checkpoints are the end offsets.
    const ends = await log.endOffsets();
    assert.deepEqual(ends, offsetsOf(partitions, (p) => checkpointsOf(consumed).get(p) ?? 0n));

    // From the ends, a consumer gets only what comes after them: one new record per partition.
    const markers = keysPerPartition(`${run}-ends-marker`, partitions).map((key, p) => ({
      key,
      value: { marker: p },
    }));
    const [tail] = await Promise.all([
      consume(log, {
        group: `${run}-ends-tail`,
        startOffset: (partition) => Promise.resolve(ends.get(partition)),
        until: atLeast(partitions),
      }),
      log.append(markers),
    ]);
    const after = tail.flatMap((batch) => batch.records);
    const seen = after.map((r) => r.value.marker as number).sort((a, b) => a - b);
    assert.deepEqual(seen, markers.map((m) => m.value.marker));
    for (const record of after) assert.equal(record.offset, ends.get(record.partition));
    const next = await log.endOffsets();
    assert.deepEqual(next, offsetsOf(partitions, (p) => checkpointsOf(tail).get(p)!));
  });

  await step("records of one key stay in one partition, in order", async (log) => {
    const keys = Array.from({ length: 40 }, (_, i) => `${run}-session-${i}`);
    for (let round = 0; round < 20; round++) {
      // Two records per key and round, keys in a different order each round.
      const batch = shuffle(keys).flatMap((key) => [
        { key, value: { key, seq: 2 * round } },
        { key, value: { key, seq: 2 * round + 1 } },
      ]);
      await log.append(batch);
    }
    const total = keys.length * 40;
    const batches = await consume(log, {
      group: `${run}-order`,
      max_batch: 100,
      until: atLeast(total),
    });
    assertWellFormed(batches, 100);
    const consumed = batches.flatMap((batch) => batch.records);
    assert.equal(consumed.length, total);
    assertPartitionsInOrder(consumed);
    for (const [key, records] of Map.groupBy(consumed, (record) => record.key)) {
      assert.deepEqual(records.map((r) => r.value.seq), Array.from({ length: 40 }, (_, i) => i));
      assert.ok(records.every((r) => r.partition === partitionFor(key, partitions)), key);
    }
  });

  // Thirty keys interleaved, then runs of one key (a player's batch: one session's events).
  for (const keys of [30, 1]) {
    const name = `a consumer resumes from its stored checkpoint, not from the log's (${keys} keys)`;
    await step(name, async (log) => {
      const prefix = `${run}-resume-${keys}`;
      await appendNumbered(log, prefix, 0, 600, keys);
      const group = prefix;
      const checkpoints = new Map<number, string>();
      const startOffset = (partition: number) => Promise.resolve(checkpoints.get(partition));

      // First run: stores each batch's checkpoint, but "crashes" before storing the last one.
      const applied: LoggedRecord[] = [];
      let lost: TelemetryBatch | undefined;
      await consume(log, {
        group,
        startOffset,
        max_batch: 40,
        until: (batches) => {
          const last = batches[batches.length - 1]!;
          if (applied.length + last.records.length >= 300) return Boolean(lost = last);
          applied.push(...last.records);
          checkpoints.set(last.partition, last.next_offset);
          return false;
        },
      });
      assert.ok(lost);
      await appendNumbered(log, prefix, 600, 200, keys);

      // Second run: the lost batch again, then everything else, each record once.
      const rest = await consume(log, {
        group,
        startOffset,
        max_batch: 40,
        until: atLeast(800 - applied.length),
      });
      assertWellFormed(rest, 40);
      const again = rest.flatMap((batch) => batch.records);
      assertExactlyOnce([...applied, ...again], 800);
      const firstOfLostPartition = again.find((record) => record.partition === lost!.partition);
      assert.equal(firstOfLostPartition?.offset, lost.records[0]!.offset);

      // Third run, same group, checkpoints gone: from the beginning, whatever the group committed.
      const rewound = await consume(log, { group, until: atLeast(800) });
      assertExactlyOnce(rewound.flatMap((batch) => batch.records), 800);
    });
  }

  await step("consumers in different groups each see every record", async (log) => {
    await appendNumbered(log, `${run}-groups`, 0, 300);
    const [first, second] = await Promise.all([
      consume(log, { group: `${run}-group-1`, until: atLeast(300) }),
      consume(log, { group: `${run}-group-2`, until: atLeast(300) }),
    ]);
    assertExactlyOnce(first.flatMap((batch) => batch.records), 300);
    assertExactlyOnce(second.flatMap((batch) => batch.records), 300);
  });

  await step("members of one group share the partitions and see every record once", async (log) => {
    await appendNumbered(log, `${run}-members`, 0, 600);
    const group = `${run}-members`;
    const checkpoints = new Map<number, string>();
    const seen: LoggedRecord[] = [];
    const done = new AbortController();
    const member = () =>
      consume(log, {
        group,
        startOffset: (partition) => Promise.resolve(checkpoints.get(partition)),
        max_batch: 25,
        signal: done.signal,
        until: (batches) => {
          const last = batches[batches.length - 1];
          if (last) {
            seen.push(...last.records);
            checkpoints.set(last.partition, last.next_offset);
          }
          if (new Set(seen.map((r) => r.value.n)).size >= 600) done.abort();
          return done.signal.aborted;
        },
      });
    await Promise.all([member(), member()]);
    assertExactlyOnce(seen, 600);
  });

  await step("append resolves only once the records can be consumed", async (log) => {
    for (let round = 0; round < 2; round++) {
      await log.append([{ key: `${run}-ack`, value: { round } }]);
      // A consumer that starts right after the append finds the record already stored.
      const batches = await consume(log, {
        group: `${run}-ack-${round}`,
        until: (batches) => batches.some((b) => b.records.some((r) => r.value.round === round)),
      });
      assert.ok(batches.flatMap((b) => b.records).every((r) => r.offset !== undefined));
    }
    // A running consumer sees a new record promptly.
    let appendedAt = 0;
    let appending: Promise<void> | undefined;
    await consume(log, {
      group: `${run}-ack-live`,
      until: (batches) => {
        const count = batches.reduce((sum, batch) => sum + batch.records.length, 0);
        if (count === 2 && !appending) {
          appendedAt = Date.now();
          appending = log.append([{ key: `${run}-ack`, value: { round: 2 } }]);
        }
        return count === 3;
      },
    });
    const latency = Date.now() - appendedAt;
    await appending;
    assert.ok(latency < 5_000, `delivered ${latency} ms after the append`);
  });

  await step(
    `${records} records from 4 concurrent appenders, consumed while appended: none lost or repeated`,
    async (log) => {
      const appenders = 4;
      const perAppender = Math.ceil(records / appenders);
      const total = perAppender * appenders;
      const consumer = consume(log, {
        group: `${run}-load`,
        max_batch: 500,
        until: atLeast(total),
        timeoutMs: Math.max(timeoutMs, 60_000),
      });
      await Promise.all(Array.from({ length: appenders }, async (_, a) => {
        for (let sent = 0; sent < perAppender;) {
          const size = Math.min(1 + ((sent * 7) % 300), perAppender - sent);
          await log.append(Array.from({ length: size }, (_, i) => {
            const n = sent + i;
            const key = `${run}-a${a}-k${n % 50}`;
            return { key, value: { key, id: `${a}-${n}`, seq: Math.floor(n / 50) } };
          }));
          sent += size;
        }
      }));
      const batches = await consumer;
      assertWellFormed(batches, 500);
      const consumed = batches.flatMap((batch) => batch.records);
      assert.equal(new Set(consumed.map((r) => r.value.id)).size, total, "every record");
      assert.equal(consumed.length, total, "no record twice");
      assertPartitionsInOrder(consumed);
      for (const [key, keyed] of Map.groupBy(consumed, (record) => record.key)) {
        const seqs = keyed.map((r) => r.value.seq as number);
        assert.deepEqual(seqs, seqs.toSorted((x, y) => x - y), `order of ${key}`);
      }
    },
  );

  await step("consume ends when its signal aborts or the log closes", async (log) => {
    const aborted = new AbortController();
    aborted.abort();
    for await (
      const _ of log.consume({ group: `${run}-stop`, startOffset: none, signal: aborted.signal })
    ) {
      assert.fail("an aborted consumer yields nothing");
    }
    const stop = new AbortController();
    const idle = drain(
      log.consume({ group: `${run}-stop`, startOffset: none, signal: stop.signal }),
    );
    await delay(300);
    stop.abort();
    await withTimeout(idle, 15_000, "consume did not end after its signal aborted");

    const running = drain(log.consume({ group: `${run}-stop-close`, startOffset: none }));
    await delay(300);
    await log.close();
    await withTimeout(running, 15_000, "consume did not end when the log closed");
  });
}

type Consumption = Partial<Pick<ConsumeOptions, "startOffset" | "max_batch" | "signal">> & {
  group: string;
  /** Called after each batch is received (and before the next is asked for); true ends it. */
  until: (batches: TelemetryBatch[]) => boolean;
  timeoutMs?: number;
};

/** Consumes until `until` holds; fails if it does not within the time limit. */
async function consumeUntil(
  log: TelemetryLog,
  { group, startOffset = none, max_batch, signal, until, timeoutMs = 30_000 }: Consumption,
): Promise<TelemetryBatch[]> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const batches: TelemetryBatch[] = [];
  try {
    const stop = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    for await (const batch of log.consume({ group, startOffset, max_batch, signal: stop })) {
      batches.push(batch);
      if (until(batches)) return batches;
    }
  } finally {
    clearTimeout(timer);
  }
  if (signal?.aborted) return batches;
  const count = batches.reduce((sum, batch) => sum + batch.records.length, 0);
  throw new Error(`group ${group} stopped after ${timeoutMs} ms with only ${count} records`);
}

/**
 * Batches hold records of their partition, in ascending offsets, with next_offset after the last
 * and no later than the partition's next batch's first record.
 */
function assertWellFormed(batches: readonly TelemetryBatch[], maxBatch = 500): void {
  const resumeAt = new Map<number, bigint>();
  for (const batch of batches) {
    assert.ok(batch.records.length > 0 && batch.records.length <= maxBatch, "batch size");
    assert.ok(batch.records.every((r) => r.partition === batch.partition), "one partition");
    const offsets = batch.records.map((r) => BigInt(r.offset));
    assert.ok(offsets.every((o, i) => i === 0 || o > offsets[i - 1]!), "offsets ascend");
    const previous = resumeAt.get(batch.partition);
    assert.ok(previous === undefined || previous <= offsets[0]!, "next_offset ≤ next record");
    assert.ok(BigInt(batch.next_offset) > offsets[offsets.length - 1]!, "next_offset after last");
    resumeAt.set(batch.partition, BigInt(batch.next_offset));
  }
}

/**
 * In a new log each partition's records start at offset 0 and ascend, no offset repeated (an
 * adapter may leave gaps: Kafka's numbers whole messages, see adapters/kafka/packing.ts).
 */
function assertPartitionsInOrder(records: readonly LoggedRecord[]): void {
  for (const [partition, inPartition] of Map.groupBy(records, (r) => r.partition)) {
    const offsets = inPartition.map((r) => BigInt(r.offset));
    assert.equal(offsets[0], 0n, `first offset of partition ${partition}`);
    assert.ok(offsets.every((o, i) => i === 0 || o > offsets[i - 1]!), `partition ${partition}`);
  }
}

/** Per partition, the next_offset of its last batch: where a consumer that read them resumes. */
function checkpointsOf(batches: readonly TelemetryBatch[]): Map<number, bigint> {
  return new Map(batches.map((batch) => [batch.partition, BigInt(batch.next_offset)]));
}

function assertExactlyOnce(records: readonly LoggedRecord[], count: number): void {
  const numbers = records.map((record) => record.value.n as number).sort((a, b) => a - b);
  assert.deepEqual(numbers, Array.from({ length: count }, (_, i) => i), "each record once");
}

/** Appends records numbered from..from+count-1 over `keys` keys in turn, in batches of 100. */
async function appendNumbered(
  log: TelemetryLog,
  prefix: string,
  from: number,
  count: number,
  keys = 30,
) {
  for (let start = from; start < from + count; start += 100) {
    const size = Math.min(100, from + count - start);
    await log.append(Array.from({ length: size }, (_, i) => ({
      key: `${prefix}-${(start + i) % keys}`,
      value: { n: start + i },
    })));
  }
}

/** Offsets for partitions 0..partitions-1, as the log reports them. */
function offsetsOf(partitions: number, offset: (partition: number) => bigint): Map<number, string> {
  return new Map(Array.from({ length: partitions }, (_, p) => [p, String(offset(p))]));
}

/** One key per partition: the key at index p goes to partition p. */
function keysPerPartition(prefix: string, partitions: number): string[] {
  const keys: (string | undefined)[] = Array.from({ length: partitions });
  for (let i = 0; keys.includes(undefined); i++) {
    const key = `${prefix}-${i}`;
    keys[partitionFor(key, partitions)] ??= key;
  }
  return keys as string[];
}

const UNICODE = 'Amélie · 千と千尋の神隠し · Лёд · עברית · 🎬🍿👩🏽‍🚀 · e\u0301 · "q" \\ \t\n';

const none = () => Promise.resolve(undefined);

const atLeast = (count: number) => (batches: TelemetryBatch[]) =>
  batches.reduce((sum, batch) => sum + batch.records.length, 0) >= count;

const byValue = (field: string) => (a: LoggedRecord, b: LoggedRecord) =>
  (a.value[field] as number) - (b.value[field] as number);

function shuffle<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

async function drain(batches: AsyncIterable<TelemetryBatch>): Promise<void> {
  for await (const _ of batches) { /* nothing to read in these logs */ }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
