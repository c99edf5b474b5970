/**
 * A map that keeps at most `capacity` entries, dropping the least recently used one to make room.
 * A JavaScript Map iterates in insertion order, so re-inserting an entry on each read keeps the
 * oldest-used one first. `onRemove` hears of every value that leaves (evicted, deleted, replaced).
 */
export class LruMap<K, V> {
  readonly #entries = new Map<K, V>();
  /** The most recently used key, already last: reading it again moves nothing. */
  #newest: K | undefined;

  constructor(
    readonly capacity: number,
    private readonly onRemove: (key: K, value: V) => void = () => {},
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`an LRU map needs a capacity of at least 1, not ${capacity}`);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined || key === this.#newest) return value;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#newest = key;
    return value;
  }

  set(key: K, value: V): void {
    const old = this.#entries.get(key);
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#newest = key;
    if (old !== undefined && old !== value) this.onRemove(key, old);
    if (this.#entries.size > this.capacity) this.delete(this.#entries.keys().next().value!);
  }

  delete(key: K): void {
    const value = this.#entries.get(key);
    if (value === undefined) return;
    this.#entries.delete(key);
    if (key === this.#newest) this.#newest = undefined;
    this.onRemove(key, value);
  }

  /** Entries from the least to the most recently used. */
  entries(): IterableIterator<[K, V]> {
    return this.#entries.entries();
  }
}
