/**
 * Measures a put's body as it streams through: SHA-256 and size, and the declared length enforced
 * as soon as the body runs past it.
 */
import { createHash, type Hash } from "node:crypto";
import { ContentLengthMismatchError } from "../../domain/ports/blob-storage.ts";

export interface Measured {
  size: number;
  /** Lowercase hex. */
  sha256: string;
}

export class BodyMeter {
  #hash: Hash = createHash("sha256");
  #size = 0;
  #result: Measured | undefined;

  constructor(readonly key: string, readonly declaredLength?: number) {
    if (
      declaredLength !== undefined && !(Number.isSafeInteger(declaredLength) && declaredLength >= 0)
    ) {
      throw new RangeError(`contentLength must be a non-negative integer, got ${declaredLength}`);
    }
  }

  /** Counts and hashes one chunk; throws ContentLengthMismatchError once past the declared length. */
  #update(chunk: Uint8Array): void {
    this.#size += chunk.byteLength;
    if (this.declaredLength !== undefined && this.#size > this.declaredLength) {
      throw new ContentLengthMismatchError(this.key, this.declaredLength, this.#size);
    }
    this.#hash.update(chunk);
  }

  /** The measurements, once `measure` has gone through the whole body. */
  get result(): Measured {
    if (!this.#result) throw new Error("the body has not been measured to its end");
    return this.#result;
  }

  /**
   * The body's chunks, each measured before it is handed on. The last step throws
   * ContentLengthMismatchError when the body fell short, so a consumer never takes a short body for
   * a whole one. Leaving the loop early cancels a stream body; a failing body rejects with its own
   * error.
   */
  async *measure(body: ReadableStream<Uint8Array> | Uint8Array): AsyncGenerator<Uint8Array> {
    if (body instanceof Uint8Array) {
      this.#update(body);
      yield body;
      this.#finish();
      return;
    }
    const reader = body.getReader();
    let finished = false;
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value.byteLength === 0) continue;
        this.#update(value);
        yield value;
      }
      finished = true;
      this.#finish();
    } finally {
      if (!finished) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }

  #finish(): void {
    if (this.declaredLength !== undefined && this.#size !== this.declaredLength) {
      throw new ContentLengthMismatchError(this.key, this.declaredLength, this.#size);
    }
    this.#result = { size: this.#size, sha256: this.#hash.digest("hex") };
  }
}
