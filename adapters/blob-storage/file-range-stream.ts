import { readSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";

/** Largest chunk a read stream hands out: big enough for few reads, small enough per client. */
const READ_CHUNK_BYTES = 256 * 1024;

/** Ranges up to this size are read at once into memory rather than streamed. */
export const SMALL_READ_BYTES = 256 * 1024;

/**
 * Bytes `start`..`end` (inclusive) of the open file, read at once with synchronous positioned
 * reads, into the start of `into` when they fit there, else into a new buffer. These are small
 * (SMALL_READ_BYTES at most) and media files are mostly in the page cache: a blocking pread costs a
 * quarter of the CPU of an asynchronous one, which hands each read to a thread pool and back. A
 * read from a cold disk blocks the process for its duration, as nginx's reads and sendfile block
 * its worker (docs/decisions/0019).
 */
export function readFileRange(
  handle: FileHandle,
  start: number,
  end: number,
  into?: Uint8Array<ArrayBuffer>,
): Uint8Array<ArrayBuffer> {
  const length = end - start + 1;
  const buffer = into && into.byteLength >= length
    ? into.subarray(0, length)
    : new Uint8Array(length);
  for (let filled = 0; filled < buffer.byteLength;) {
    const bytesRead = readSync(
      handle.fd,
      buffer,
      filled,
      buffer.byteLength - filled,
      start + filled,
    );
    if (bytesRead === 0) throw endedEarly(start + filled, end);
    filled += bytesRead;
  }
  return buffer;
}

/** A stream of bytes already in memory. */
export function streamOfBytes(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

function endedEarly(position: number, end: number): Error {
  return new Error(`the file ended at byte ${position}, before ${end + 1}`);
}

/**
 * Bytes `start`..`end` (inclusive) of the open file as a web stream that calls `done` (closing or
 * giving back the file) when it ends, fails or is cancelled. The handle pins the version that was
 * opened, even if a put replaces the file meanwhile.
 */
export function fileRangeStream(
  handle: FileHandle,
  start: number,
  end: number,
  done: () => Promise<void> = () => handle.close(),
): ReadableStream<Uint8Array> {
  let position = start;
  let finished = false;
  const finish = async () => {
    if (finished) return;
    finished = true;
    await done().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (position <= end) {
          const buffer = new Uint8Array(Math.min(READ_CHUNK_BYTES, end - position + 1));
          const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, position);
          if (bytesRead === 0) throw endedEarly(position, end);
          position += bytesRead;
          controller.enqueue(buffer.subarray(0, bytesRead));
        }
        if (position > end) {
          await finish();
          controller.close();
        }
      } catch (error) {
        await finish();
        controller.error(error);
      }
    },
    cancel: finish,
  });
}
