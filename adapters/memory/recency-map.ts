/** A Map in remember order: setting a key makes it the newest, and the oldest can be taken off. */
export class RecencyMap<K, V> {
  readonly #entries = new Map<K, V>();
  /**
   * Walks the entries oldest first, deleting as it goes, and is kept from one shift to the next: a
   * Map iterator stays valid as the Map changes (entries added later come later). A new iterator
   * per shift would step over every entry deleted since V8 last compacted the table (decision
   * 0035). Made at the first shift: an iterator that does not move keeps the tables V8 has since
   * replaced alive.
   */
  #oldest?: MapIterator<[K, V]>;

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Sets the key's value and makes it the newest. */
  set(key: K, value: V): void {
    const size = this.#entries.size;
    this.#entries.set(key, value);
    // A new key is added last, in one lookup; a known one was updated where it was, so it is
    // moved last. Deleting first would cost every new key a second lookup.
    if (this.#entries.size === size) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
  }

  /** Takes the oldest entry off and returns it (undefined when empty). */
  shift(): [K, V] | undefined {
    for (let attempt = 0; attempt < 2; attempt++) {
      const oldest = (this.#oldest ??= this.#entries.entries()).next();
      if (!oldest.done) {
        this.#entries.delete(oldest.value[0]);
        return oldest.value;
      }
      // An iterator that ran out never resumes: start a new one, once.
      this.#oldest = undefined;
    }
    return undefined;
  }
}
