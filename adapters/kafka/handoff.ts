/**
 * A one-slot hand-over between kafkajs's eachBatch and the AsyncIterable: `offer` resolves true
 * once the consumer took the batch and asked for the next one, false if consumption ended first.
 */
export class Handoff<T> {
  readonly #offered: { item: T; settle: (applied: boolean) => void }[] = [];
  #inHand?: (applied: boolean) => void;
  #wake?: () => void;
  #failure?: { error: unknown };
  #closed = false;

  offer(item: T): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((settle) => {
      this.#offered.push({ item, settle });
      this.#wake?.();
    });
  }

  /** The next batch, once offered; undefined when consumption ends. */
  async take(signal: AbortSignal): Promise<T | undefined> {
    this.#inHand?.(true);
    this.#inHand = undefined;
    while (!this.#closed && !signal.aborted) {
      if (this.#failure) throw this.#failure.error;
      const next = this.#offered.shift();
      if (next) {
        this.#inHand = next.settle;
        return next.item;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener("abort", wake);
          resolve();
        };
        this.#wake = wake;
        signal.addEventListener("abort", wake);
      });
      this.#wake = undefined;
    }
    return undefined;
  }

  fail(error: unknown): void {
    this.#failure ??= { error };
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#inHand?.(false);
    for (const { settle } of this.#offered.splice(0)) settle(false);
    this.#wake?.();
  }
}
