/**
 * Wakes subscribers when new events may have been committed. A waiter that started after the last
 * signal sleeps until the next one (or its timeout); one that missed a signal returns at once, so
 * a commit between "read found nothing" and "wait" is never slept through.
 */
export class CommitSignal {
  #generation = 0;
  #sleepers = new Set<() => void>();

  /** The count to pass to `wait` after reading. */
  get generation(): number {
    return this.#generation;
  }

  notify(): void {
    this.#generation++;
    for (const wake of this.#sleepers) wake();
    this.#sleepers.clear();
  }

  /** Resolves on the next signal after `seen`, after `timeoutMs`, or when `signal` aborts. */
  wait(seen: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (seen !== this.#generation || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener("abort", done, { once: true });
      this.#sleepers.add(done);
    });
  }
}
