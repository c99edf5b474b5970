/**
 * RecentKeys in this process's memory: bounded (oldest forgotten first) and expiring. Enough for
 * one API process; several processes share one through Redis.
 */
import type { RecentKeys } from "../../domain/ports/recent-keys.ts";

export class MemoryRecentKeys implements RecentKeys {
  /** Key → when it expires; Map keeps insertion order, so the first entries are the oldest. */
  readonly #expiries = new Map<string, number>();

  constructor(
    private readonly ttlMs = 10 * 60 * 1000,
    private readonly capacity = 200_000,
    private readonly now: () => number = Date.now,
  ) {}

  seen(keys: readonly string[]): Promise<boolean[]> {
    const now = this.now();
    return Promise.resolve(keys.map((key) => (this.#expiries.get(key) ?? 0) > now));
  }

  remember(keys: readonly string[]): Promise<void> {
    const expiry = this.now() + this.ttlMs;
    for (const key of keys) {
      this.#expiries.delete(key);
      this.#expiries.set(key, expiry);
    }
    for (const key of this.#expiries.keys()) {
      if (this.#expiries.size <= this.capacity) break;
      this.#expiries.delete(key);
    }
    return Promise.resolve();
  }
}
