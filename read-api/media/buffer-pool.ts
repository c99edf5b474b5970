/**
 * Reusable buffers for reads whose bytes are copied out at once. A `Response` copies a buffer it is
 * given as its body (the Fetch standard says so), so a small range read into a fresh buffer is
 * allocated twice; under load those short-lived 64-256 KiB buffers kept the garbage collector
 * busier than the read itself (docs/decisions/0025). A buffer is taken for one read and given back
 * once its bytes are copied; at most `kept` wait for the next read, and more are allocated when
 * more reads run at once.
 */
export class BufferPool {
  readonly #free: Uint8Array<ArrayBuffer>[] = [];

  constructor(readonly bytes: number, readonly kept: number) {}

  take(): Uint8Array<ArrayBuffer> {
    return this.#free.pop() ?? new Uint8Array(this.bytes);
  }

  /** Gives back a buffer from `take`: its bytes must no longer be in use. */
  give(buffer: Uint8Array<ArrayBuffer>): void {
    if (this.#free.length < this.kept) this.#free.push(buffer);
  }
}
