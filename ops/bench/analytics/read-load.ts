/** Reads under load: `concurrency` clients for `seconds`; latency percentiles are under that load. */
import { percentile } from "../lib/statistics.ts";

export interface ReadFigures {
  p50: number;
  p99: number;
  requestsPerSecond: number;
}

export async function measureReads(
  read: (i: number) => Promise<unknown>,
  options: { concurrency: number; seconds: number },
): Promise<ReadFigures> {
  for (let i = 0; i < 100; i++) await read(i); // warm-up
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(Array.from({ length: options.concurrency }, async (_, client) => {
    for (let i = client; performance.now() < deadline; i += options.concurrency) {
      const sent = performance.now();
      await read(i);
      latencies.push(performance.now() - sent);
    }
  }));
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requestsPerSecond: latencies.length / ((performance.now() - started) / 1000),
  };
}
