/**
 * RecentKeys in this process's memory: bounded (oldest forgotten first) and expiring. Enough for
 * one API process; several processes share one through Redis.
 */
import type { RecentKeys } from "../../domain/ports/recent-keys.ts";

export class MemoryRecentKeys implements RecentKeys {
  /** Key → when it expires; Map keeps insertion order, so the first entries are the oldest. */
  readonly #expiries = new Map<string, number>();
  /**
   * Walks the keys oldest first, deleting as it goes, and is kept from one eviction to the next: a
   * Map iterator stays valid as the Map changes (entries added later come later). A new iterator
   * per eviction would step over every entry deleted since V8 last compacted the table, which made
   * `remember` cost several times a lookup at capacity. Made at the first eviction: an iterator
   * that does not move keeps the tables V8 has since replaced alive.
   */
  #oldest?: MapIterator<string>;

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
      const size = this.#expiries.size;
      this.#expiries.set(key, expiry);
      // A new key is added last, in one lookup; a known one was updated where it was, so it is
      // moved last (the newest). Deleting first would cost every new key a second lookup.
      if (this.#expiries.size === size) {
        this.#expiries.delete(key);
        this.#expiries.set(key, expiry);
      }
    }
    while (this.#expiries.size > this.capacity) {
      const oldest = (this.#oldest ??= this.#expiries.keys()).next();
      // Done only if it ran out of entries once (an iterator never resumes): start a new one.
      if (oldest.done) this.#oldest = undefined;
      else this.#expiries.delete(oldest.value);
    }
    return Promise.resolve();
  }
}
