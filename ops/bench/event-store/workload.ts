/** Append workloads: the appends each concurrent appender makes, and the time they take. */
import type { NewEvent } from "../../../domain/ports/event-store.ts";
import { secondsSince } from "../lib/timing.ts";
import { sampleEvent } from "./sample-event.ts";

/** Appends per stream: streams grow to 10 appends, then the appender moves to a new one. */
const APPENDS_PER_STREAM = 10;

export interface PlannedAppend {
  stream: string;
  /** The stream's version before this append. */
  version: number;
  events: NewEvent[];
}

/** One list of appends per appender; each appender has its own streams. */
export type Workload = PlannedAppend[][];

export type AppendOne = (append: PlannedAppend) => Promise<void>;

export function planWorkload(
  label: string,
  events: number,
  batchSize: number,
  appenders: number,
): Workload {
  const appends = Math.max(appenders, Math.ceil(events / batchSize));
  return Array.from({ length: appenders }, (_, appender) => {
    const count = Math.floor(appends / appenders) + (appender < appends % appenders ? 1 : 0);
    return Array.from({ length: count }, (_, index) => ({
      stream: `bench-${label}-${appender}-${Math.floor(index / APPENDS_PER_STREAM)}`,
      version: (index % APPENDS_PER_STREAM) * batchSize,
      events: Array.from({ length: batchSize }, () => sampleEvent()),
    }));
  });
}

export function eventCount(workload: Workload): number {
  return workload.flat().reduce((sum, append) => sum + append.events.length, 0);
}

/** Each appender's list cut into `count` consecutive parts, so that two variants can alternate. */
export function segments(workload: Workload, count: number): Workload[] {
  return Array.from({ length: count }, (_, segment) =>
    workload.map((appends) => {
      const size = Math.ceil(appends.length / count);
      return appends.slice(segment * size, (segment + 1) * size);
    }));
}

/** Seconds to run every appender's list, the appenders concurrently. */
export async function timeWorkload(workload: Workload, appendOne: AppendOne): Promise<number> {
  const start = performance.now();
  await Promise.all(workload.map(async (appends) => {
    for (const append of appends) await appendOne(append);
  }));
  return secondsSince(start);
}
