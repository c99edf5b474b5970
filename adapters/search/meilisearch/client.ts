/** The Meilisearch client every part of the service (and its tests and benchmark) talks through. */
import { Meilisearch } from "meilisearch";

export interface MeilisearchClientOptions {
  url: string;
  apiKey?: string;
  /** Milliseconds before a request fails (an unreachable server then answers 503 quickly). */
  timeoutMs?: number;
}

/**
 * Asks for uncompressed responses. Meilisearch writes a compressed response's headers and body in
 * two writes on a socket with Nagle's algorithm on, so on a kept-alive connection the body waits
 * for the client's delayed ACK: ~40 ms added to every search with hits, ten times Meilisearch's
 * own time at 100,000 items (docs/decisions/0016-meilisearch-query-latency.md).
 */
export function meilisearchClient({ url, apiKey, timeoutMs }: MeilisearchClientOptions) {
  return new Meilisearch({
    host: url,
    apiKey,
    timeout: timeoutMs,
    requestInit: { headers: { "Accept-Encoding": "identity" } },
  });
}
