/**
 * Application-level group commit (decisions 0018 and 0028): work submitted while every write slot
 * is busy waits, and goes out together in the next free slot. Nothing waits on a timer: with a slot
 * free, a group goes at the end of the event loop's turn (of one item, or of everything submitted
 * in that turn); under load each group takes whatever gathered while the slots were busy.
 */

export interface Queued<Item, Result> {
  readonly item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export interface GroupOptions<Item> {
  /** Groups written at the same time (at least 1). */
  maxInFlight: number;
  /** Largest total weight of one group; an item heavier than this goes alone. */
  maxWeight: number;
  weigh(item: Item): number;
  /**
   * A group holds each key once, and items of the same key are never in two groups written at
   * once, so they are written one after the other in the order they were submitted (for an event
   * store: the stream).
   */
  key(item: Item): string;
}

export class GroupCommit<Item, Result> {
  #queue: Queued<Item, Result>[] = [];
  #inFlight = 0;
  #busyKeys = new Map<string, number>();
  #scheduled = false;

  /** `write` settles every item of the group it is given. */
  constructor(
    private readonly write: (group: Queued<Item, Result>[]) => Promise<void>,
    private readonly options: GroupOptions<Item>,
  ) {}

  submit(item: Item): Promise<Result> {
    // Not Promise.withResolvers: the service also runs on Node 20, which lacks it.
    const promise = new Promise<Result>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
    });
    if (!this.#scheduled) {
      this.#scheduled = true;
      // At the end of this turn of the event loop, not after this task's microtasks: requests
      // (and timers) that come due together each run as a task of their own, and with a slot
      // free the first would otherwise go alone and hold the slot for a whole commit.
      setImmediate(() => {
        this.#scheduled = false;
        this.#pump();
      });
    }
    return promise;
  }

  #pump(): void {
    while (this.#inFlight < this.options.maxInFlight && this.#queue.length > 0) {
      const group = this.#take();
      if (group.length === 0) return; // the next item's key is in a group being written
      void this.#writeGroup(group);
    }
  }

  async #writeGroup(group: Queued<Item, Result>[]): Promise<void> {
    const keys = group.map((queued) => this.options.key(queued.item));
    this.#inFlight++;
    for (const key of keys) this.#busyKeys.set(key, (this.#busyKeys.get(key) ?? 0) + 1);
    try {
      await this.write(group);
    } catch (error) {
      for (const queued of group) queued.reject(error); // no-op for those already settled
    } finally {
      this.#inFlight--;
      for (const key of keys) {
        const count = this.#busyKeys.get(key)! - 1;
        if (count === 0) this.#busyKeys.delete(key);
        else this.#busyKeys.set(key, count);
      }
      this.#pump();
    }
  }

  /** The longest prefix of the queue within the weight limit with distinct keys, all free. */
  #take(): Queued<Item, Result>[] {
    const { weigh, maxWeight, key } = this.options;
    const keys = new Set<string>();
    let weight = 0;
    while (keys.size < this.#queue.length) {
      const item = this.#queue[keys.size]!.item;
      const itemKey = key(item);
      weight += weigh(item);
      const full = keys.size > 0 && weight > maxWeight;
      if (full || keys.has(itemKey) || this.#busyKeys.has(itemKey)) break;
      keys.add(itemKey);
    }
    return this.#queue.splice(0, keys.size);
  }
}
