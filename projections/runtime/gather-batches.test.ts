import assert from "node:assert/strict";
import type { LoggedRecord, TelemetryBatch } from "../../domain/ports/telemetry-log.ts";
import { batchGatherer, unapplied } from "./gather-batches.ts";

interface Batch {
  name: string;
  records: number[];
}

/** An async source whose batches the test hands in as it goes, as the log does. */
function source() {
  const waiting: ((result: IteratorResult<Batch>) => void)[] = [];
  const queued: IteratorResult<Batch>[] = [];
  let returned = false;
  const push = (result: IteratorResult<Batch>) => {
    const take = waiting.shift();
    if (take) take(result);
    else queued.push(result);
  };
  const iterator: AsyncIterator<Batch> = {
    next: () => {
      const result = queued.shift();
      return result ? Promise.resolve(result) : new Promise((resolve) => waiting.push(resolve));
    },
    return: () => {
      returned = true;
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return {
    iterator,
    add: (name: string, size: number) =>
      push({ done: false, value: { name, records: Array.from({ length: size }, (_, i) => i) } }),
    end: () => push({ done: true, value: undefined }),
    returned: () => returned,
  };
}

const names = (batches: Batch[] | undefined) => batches?.map((batch) => batch.name);

Deno.test("batches already waiting are applied together, up to the record limit", async () => {
  const log = source();
  for (const name of ["p0", "p1", "p2", "p3"]) log.add(name, 2);
  const gatherer = batchGatherer(log.iterator, { maxRecords: 5, windowMs: 1_000, gapMs: 1_000 });
  assert.deepEqual(names(await gatherer.next()), ["p0", "p1", "p2"]);
  log.end();
  assert.deepEqual(names(await gatherer.next()), ["p3"]);
  assert.equal(await gatherer.next(), undefined);
});

Deno.test("a batch later than the window starts the next gathering", async () => {
  const log = source();
  log.add("first", 1);
  const gatherer = batchGatherer(log.iterator, { maxRecords: 100, windowMs: 10, gapMs: 10 });
  assert.deepEqual(names(await gatherer.next()), ["first"]);
  log.add("later", 1);
  log.add("with it", 1);
  assert.deepEqual(names(await gatherer.next()), ["later", "with it"]);
});

Deno.test("an idle log ends the gathering after the gap, not the window", async () => {
  const log = source();
  log.add("first", 1);
  const gatherer = batchGatherer(log.iterator, { maxRecords: 100, windowMs: 60_000, gapMs: 10 });
  const gathering = gatherer.next();
  // Timers fire in deadline order: the gap's 10 ms ends the gathering before this one adds more.
  await new Promise((resolve) => setTimeout(resolve, 50));
  log.add("later", 1);
  assert.deepEqual(names(await gathering), ["first"]);
  assert.deepEqual(names(await gatherer.next()), ["later"]);
});

Deno.test("closing waits for the read in progress and closes the source", async () => {
  const log = source();
  log.add("only", 1);
  const gatherer = batchGatherer(log.iterator, { maxRecords: 100, windowMs: 0, gapMs: 0 });
  assert.deepEqual(names(await gatherer.next()), ["only"]);
  // The gatherer's last read still waits: ending the source (as stopping it does) lets it go.
  log.end();
  await gatherer.close();
  assert.equal(log.returned(), true);
});

Deno.test("a failed read fails the gathering that waits for it", async () => {
  const failing: AsyncIterator<Batch> = { next: () => Promise.reject(new Error("log down")) };
  const gatherer = batchGatherer(failing, { maxRecords: 100, windowMs: 10, gapMs: 10 });
  await assert.rejects(gatherer.next(), /log down/);
});

/** A batch of `partition` holding offsets from..to (inclusive). */
function logged(partition: number, from: number, to: number): TelemetryBatch {
  const records: LoggedRecord[] = [];
  for (let offset = from; offset <= to; offset++) {
    records.push({
      key: `s${offset}`,
      value: {},
      partition,
      offset: String(offset),
      logged_at: "2026-01-01T00:00:00.000Z",
    });
  }
  return { partition, records, next_offset: String(to + 1) };
}

const offsetsOf = (records: LoggedRecord[]) => records.map((r) => `${r.partition}:${r.offset}`);

Deno.test("gathered batches of several partitions move each partition's checkpoint", () => {
  const { records, next } = unapplied([logged(0, 5, 6), logged(1, 0, 1), logged(0, 7, 7)], {
    "0": "5",
  });
  assert.deepEqual(offsetsOf(records), ["0:5", "0:6", "1:0", "1:1", "0:7"]);
  assert.deepEqual(next, { "0": "8", "1": "2" });
});

Deno.test("records handed out again (below the checkpoint) are left out, once", () => {
  // After a rebalance the log starts the partition again at the checkpoint, 3, while this runner
  // already holds 3..5 and applies them first.
  const { records, next } = unapplied([logged(2, 3, 5), logged(2, 3, 7)], { "2": "3" });
  assert.deepEqual(offsetsOf(records), ["2:3", "2:4", "2:5", "2:6", "2:7"]);
  assert.deepEqual(next, { "2": "8" });
  const again = unapplied([logged(2, 3, 7)], next);
  assert.deepEqual(again, { records: [], next: { "2": "8" } });
});
