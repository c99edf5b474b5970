/**
 * Sends what concurrent callers hand in, one send at a time, each send carrying everything that
 * queued up while the previous one was in flight. kafkajs's idempotent producer loses track of its
 * sequence numbers when sends overlap ("out of order sequence number"); one at a time keeps them in
 * order, and batching what waits keeps throughput up.
 */
export class SerialBatcher<Item> {
  #queue: { items: readonly Item[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #sending = false;

  constructor(
    private readonly send: (items: Item[]) => Promise<void>,
    private readonly maxItems = 10_000,
  ) {}

  /** Resolves when a send that carried `items` succeeded; rejects with that send's error. */
  add(items: readonly Item[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ items, resolve, reject });
      if (!this.#sending) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#sending = true;
    while (this.#queue.length > 0) {
      const taken = this.#take();
      try {
        await this.send(taken.flatMap((entry) => entry.items));
        for (const entry of taken) entry.resolve();
      } catch (error) {
        for (const entry of taken) entry.reject(error);
      }
    }
    this.#sending = false;
  }

  /** The waiting entries that fit in one send (always at least one). */
  #take() {
    let count = 0;
    let taken = 0;
    while (taken < this.#queue.length) {
      count += this.#queue[taken]!.items.length;
      if (taken > 0 && count > this.maxItems) break;
      taken++;
    }
    return this.#queue.splice(0, taken);
  }
}
