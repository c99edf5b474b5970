/**
 * Gathers the telemetry batches that come in quick succession into one apply. The log hands out a
 * batch per partition (six by default), each a few records when the projection keeps up; applying
 * each in its own transaction pays the transaction, the checkpoint and each projection's
 * statements once per partition. Gathered, they are paid once per fetch (docs/benchmarks.md,
 * resource limit).
 */
import type { LoggedRecord, TelemetryBatch } from "../../domain/ports/telemetry-log.ts";

export interface Gathering {
  /** Most records in one gathering; a batch is never split, so one batch may exceed it. */
  maxRecords: number;
  /** How long after the first batch more may join it, in milliseconds. */
  windowMs: number;
  /**
   * How long the gathering waits for each further batch, in milliseconds: an idle log then costs
   * a read this much latency, not the whole window.
   */
  gapMs: number;
}

export interface BatchGatherer<T> {
  /** The next gathering, or undefined once the source has ended. */
  next(): Promise<T[] | undefined>;
  /** Waits for a batch still being read (stop the source first) and closes the source. */
  close(): Promise<void>;
}

const TIMED_OUT = Symbol("timed out");

export function batchGatherer<T extends { records: readonly unknown[] }>(
  source: AsyncIterator<T>,
  { maxRecords, windowMs, gapMs }: Gathering,
): BatchGatherer<T> {
  // A read that outlasted its gathering's window: the next gathering starts with it.
  let pending: Promise<IteratorResult<T>> | undefined;
  const read = () => {
    const result = source.next();
    result.catch(() => {}); // a failure is seen by whoever awaits it, not reported unhandled
    return result;
  };
  return {
    async next() {
      const first = await (pending ?? read());
      pending = undefined;
      if (first.done) return undefined;
      const gathered = [first.value];
      let records = first.value.records.length;
      const deadline = performance.now() + windowMs;
      while (records < maxRecords) {
        const next = read();
        const wait = Math.min(gapMs, deadline - performance.now());
        const outcome = await within(next, wait);
        if (outcome === TIMED_OUT || outcome.done) {
          pending = next;
          break;
        }
        gathered.push(outcome.value);
        records += outcome.value.records.length;
      }
      return gathered;
    },
    async close() {
      await pending?.catch(() => {});
      pending = undefined;
      await source.return?.();
    },
  };
}

/** The promise's value, or TIMED_OUT if it takes longer than `ms` (a value already there wins). */
async function within<V>(promise: Promise<V>, ms: number): Promise<V | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) =>
    timer = setTimeout(resolve, Math.max(0, ms), TIMED_OUT)
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The records of `batches` not applied yet, and the offsets once they are. Asking the log for the
 * next batch before applying the last one (gathering) means a rebalance in between may hand out
 * again, from the checkpoint, records this process already holds: those are left out.
 */
export function unapplied(
  batches: readonly TelemetryBatch[],
  offsets: Readonly<Record<string, string>>,
) {
  const next: Record<string, string> = { ...offsets };
  const records: LoggedRecord[] = [];
  for (const batch of batches) {
    const from = BigInt(next[batch.partition] ?? "0");
    // A batch's offsets ascend: only its head can have been applied already.
    let first = 0;
    while (first < batch.records.length && BigInt(batch.records[first]!.offset) < from) first++;
    for (let i = first; i < batch.records.length; i++) records.push(batch.records[i]!);
    if (BigInt(batch.next_offset) > from) next[batch.partition] = batch.next_offset;
  }
  return { records, next };
}
