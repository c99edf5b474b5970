/**
 * The output of a binary COPY: big-endian integers and floats, bytes, and length-prefixed UTF-8
 * strings and text arrays, written into chunks of a given size (copy-binary.ts says what to write).
 */
import { MAX_BYTES_PER_UNIT } from "./copy-text.ts";

/** Strings shorter than this are written a character at a time while they are ASCII. */
const SHORT_STRING = 32;

const encoder = new TextEncoder();

/**
 * The output: chunks filled in turn. Data may be split between COPY messages anywhere, so a
 * chunk ends where it is full, even within a value.
 */
export class BinaryChunks {
  #chunk: Uint8Array;
  #view: DataView;
  #used = 0;
  #full: Uint8Array[] = [];

  constructor(private readonly chunkBytes: number) {
    this.#chunk = new Uint8Array(chunkBytes);
    this.#view = new DataView(this.#chunk.buffer);
  }

  /** Chunks filled since the last call. */
  full(): Uint8Array[] {
    if (this.#full.length === 0) return NONE;
    const full = this.#full;
    this.#full = [];
    return full;
  }

  /** Every chunk not taken yet, the last one too. */
  rest(): Uint8Array[] {
    const rest = this.full();
    return this.#used === 0 ? rest : [...rest, this.#chunk.subarray(0, this.#used)];
  }

  int16(value: number): void {
    this.#room(2);
    this.#view.setInt16(this.#used, value);
    this.#used += 2;
  }

  int32(value: number): void {
    this.#room(4);
    this.#view.setInt32(this.#used, value);
    this.#used += 4;
  }

  /** A 64-bit integer given as a safe integer, or as a bigint. */
  int64(value: number | bigint): void {
    this.#room(8);
    if (typeof value === "bigint") this.#view.setBigInt64(this.#used, value);
    else {
      const high = Math.floor(value / 2 ** 32);
      this.#view.setInt32(this.#used, high);
      this.#view.setUint32(this.#used + 4, value - high * 2 ** 32);
    }
    this.#used += 8;
  }

  float32(value: number): void {
    this.#room(4);
    this.#view.setFloat32(this.#used, value);
    this.#used += 4;
  }

  float64(value: number): void {
    this.#room(8);
    this.#view.setFloat64(this.#used, value);
    this.#used += 8;
  }

  byte(value: number): void {
    this.#room(1);
    this.#chunk[this.#used++] = value;
  }

  bytes(bytes: Uint8Array): void {
    this.#room(bytes.length);
    this.#chunk.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  /** A length-prefixed UTF-8 string, after `prefix` (jsonb's version byte) when given. */
  string(text: string, prefix?: number): void {
    const extra = prefix === undefined ? 0 : 1;
    this.#room(4 + extra + text.length * MAX_BYTES_PER_UNIT);
    const start = this.#used + 4;
    let at = start;
    if (prefix !== undefined) this.#chunk[at++] = prefix;
    const ascii = text.length < SHORT_STRING ? this.#ascii(text, at) : -1;
    at = ascii >= 0 ? ascii : at + encoder.encodeInto(text, this.#chunk.subarray(at)).written;
    this.#view.setInt32(this.#used, at - start);
    this.#used = at;
  }

  /**
   * A one-dimensional array of texts, each NULL or a string: its length, then its header (the
   * dimensions, whether any element is NULL, the element type, the dimension's length and lower
   * bound), then its elements as fields. It is written in one chunk, so its length can be set last.
   */
  textArray(elementOid: number, texts: readonly (string | null)[]): void {
    let most = 12 + (texts.length > 0 ? 8 : 0);
    for (const text of texts) most += 4 + (text === null ? 0 : text.length * MAX_BYTES_PER_UNIT);
    this.#room(4 + most);
    const lengthAt = this.#used;
    this.#used += 4;
    this.int32(texts.length > 0 ? 1 : 0);
    this.int32(texts.includes(null) ? 1 : 0);
    this.int32(elementOid);
    if (texts.length > 0) {
      this.int32(texts.length);
      this.int32(1);
    }
    for (const text of texts) {
      if (text === null) this.int32(-1);
      else this.string(text);
    }
    this.#view.setInt32(lengthAt, this.#used - lengthAt - 4);
  }

  /** Writes `text` at `at` if it is all ASCII, returning where it ends (-1 if it is not). */
  #ascii(text: string, at: number): number {
    const chunk = this.#chunk;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) return -1;
      chunk[at++] = unit;
    }
    return at;
  }

  /**
   * Makes room for `bytes` more: what does not fit in the chunk goes to a new one, from the
   * current one's end (a long value may take a chunk of its own, larger than the rest).
   */
  #room(bytes: number): void {
    if (this.#used + bytes <= this.#chunk.length) return;
    if (this.#used > 0) this.#full.push(this.#chunk.subarray(0, this.#used));
    this.#chunk = new Uint8Array(Math.max(this.chunkBytes, bytes));
    this.#view = new DataView(this.#chunk.buffer);
    this.#used = 0;
  }
}

const NONE: Uint8Array[] = [];
