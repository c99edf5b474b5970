/** The queries the benchmark sends, and how latency and throughput are measured. */
import type { SearchQuery } from "../../../domain/ports/search.ts";
import { percentile } from "../lib/statistics.ts";
import type { SearchReader } from "./engines.ts";

const base = { sort: "relevance", limit: 20, offset: 0, include_unpublished: false } as const;

/** A mix of what users type: typos, prefixes, several words, filters, browsing with facets. */
export const QUERY_MIX: SearchQuery[] = [
  { ...base, q: "avatr" },
  { ...base, q: "spiderman" },
  { ...base, q: "pokemon" },
  { ...base, q: "inter" },
  { ...base, q: "silent river" },
  { ...base, q: "golden harb" },
  { ...base, q: "detective coastal" },
  { ...base, q: "crimson", type: "movie", year_from: 1990, year_to: 2010 },
  { ...base, q: "", genre: "Drama", sort: "-year" },
  { ...base, q: "midnite lantern" },
];

export interface Measured {
  p50: number;
  p99: number;
  requestsPerSecond: number;
  queries: number;
  /** The engine's own p50 and p99 of the single queries, where it tells them. */
  server?: { p50: number; p99: number };
}

/** `count` queries one at a time for latency, then `concurrency` clients for `seconds`. */
export async function measure(
  { search, serverTimes }: SearchReader,
  count: number,
  concurrency: number,
  seconds: number,
): Promise<Measured> {
  for (const query of QUERY_MIX) await search.search(query); // warm-up
  const latencies: number[] = [];
  serverTimes?.start();
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await search.search(QUERY_MIX[i % QUERY_MIX.length]!);
    latencies.push(performance.now() - started);
  }
  const server = serverTimes?.stop();
  let done = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, client) => {
    for (let i = client; performance.now() < deadline; i++) {
      await search.search(QUERY_MIX[i % QUERY_MIX.length]!);
      done++;
    }
  }));
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requestsPerSecond: done / ((performance.now() - started) / 1000),
    queries: count,
    server: server && { p50: percentile(server, 50), p99: percentile(server, 99) },
  };
}
