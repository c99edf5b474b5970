/**
 * Sends what concurrent callers hand in, one send at a time, each send carrying everything that
 * queued up while the previous one was in flight. kafkajs's idempotent producer loses track of its
 * sequence numbers when sends overlap ("out of order sequence number"); one at a time keeps them in
 * order, and batching what waits keeps throughput up.
 */
export interface SendLimits<Item> {
  /** Most items in one send (default 10 000). */
  maxItems?: number;
  /** Most total weight in one send, by `weigh` (bytes, say); unlimited without `weigh`. */
  maxWeight?: number;
  weigh?: (item: Item) => number;
}

interface Entry<Item> {
  items: readonly Item[];
  weight: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class SerialBatcher<Item> {
  #queue: Entry<Item>[] = [];
  #sending = false;
  readonly #maxItems: number;
  readonly #maxWeight: number;
  readonly #weigh?: (item: Item) => number;

  constructor(
    private readonly send: (items: Item[]) => Promise<void>,
    { maxItems = 10_000, maxWeight = Infinity, weigh }: SendLimits<Item> = {},
  ) {
    this.#maxItems = maxItems;
    this.#maxWeight = maxWeight;
    this.#weigh = weigh;
  }

  /** Resolves when a send that carried `items` succeeded; rejects with that send's error. */
  add(items: readonly Item[]): Promise<void> {
    const weigh = this.#weigh;
    const weight = weigh ? items.reduce((sum, item) => sum + weigh(item), 0) : 0;
    return new Promise((resolve, reject) => {
      this.#queue.push({ items, weight, resolve, reject });
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
    let weight = 0;
    let taken = 0;
    while (taken < this.#queue.length) {
      const entry = this.#queue[taken]!;
      count += entry.items.length;
      weight += entry.weight;
      if (taken > 0 && (count > this.#maxItems || weight > this.#maxWeight)) break;
      taken++;
    }
    return this.#queue.splice(0, taken);
  }
}
