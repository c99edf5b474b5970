/**
 * Deadlines for many concurrent calls on one interval timer, where a timer per call would cost
 * more than the call: a node-compatible timer per Redis command (ioredis's commandTimeout) was
 * about 8% of the API process's CPU under load (docs/benchmarks.md, resource limit), a timer per
 * Kafka append about 2% of the ingest server's (decision 0039). A call fails
 * between `ms` and `ms + tickMs` after it started. The timer runs only while calls are pending.
 */
export class Deadlines {
  readonly #pending = new Set<{ at: number; fail: () => void }>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly tickMs: number) {}

  /** The promise's outcome, or `timedOut()`'s error once `ms` have passed without one. */
  within<T>(promise: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry = { at: performance.now() + ms, fail: () => reject(timedOut()) };
      this.#pending.add(entry);
      this.#timer ??= setInterval(() => this.#sweep(), this.tickMs);
      const settle = () => {
        this.#pending.delete(entry);
        if (this.#pending.size === 0) this.#stop();
      };
      promise.then(
        (value) => (settle(), resolve(value)),
        (error) => (settle(), reject(error)),
      );
    });
  }

  #sweep(): void {
    const now = performance.now();
    for (const entry of this.#pending) {
      if (entry.at > now) continue;
      this.#pending.delete(entry);
      entry.fail();
    }
    if (this.#pending.size === 0) this.#stop();
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
