/**
 * A one-slot hand-over between kafkajs's eachBatch and the AsyncIterable: `offer` resolves true
 * once the consumer took the batch, false if it was withdrawn or consumption ended first. The
 * consumer asking for the next batch means the one in its hands is applied (and checkpointed), so
 * kafkajs fetches the next records while the consumer applies the last ones.
 */
export class Handoff<T> {
  readonly #offered: { item: T; settle: (taken: boolean) => void }[] = [];
  /** Waiters for the batch in the consumer's hands to be applied. */
  #applied: (() => void)[] = [];
  #inHand = false;
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
    this.#settleInHand();
    while (!this.#closed && !signal.aborted) {
      if (this.#failure) throw this.#failure.error;
      const next = this.#offered.shift();
      if (next) {
        this.#inHand = true;
        next.settle(true);
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

  /**
   * Withdraws the batches not taken yet (their offers resolve false) and resolves once the batch
   * in the consumer's hands, if any, is applied: from then on the consumer's checkpoints cover
   * everything it was given.
   */
  recall(): Promise<void> {
    for (const { settle } of this.#offered.splice(0)) settle(false);
    if (!this.#inHand) return Promise.resolve();
    return new Promise((resolve) => this.#applied.push(resolve));
  }

  fail(error: unknown): void {
    this.#failure ??= { error };
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    for (const { settle } of this.#offered.splice(0)) settle(false);
    this.#settleInHand();
    this.#wake?.();
  }

  #settleInHand(): void {
    this.#inHand = false;
    for (const resolve of this.#applied.splice(0)) resolve();
  }
}
