import type { FileHandle } from "node:fs/promises";

/** Largest chunk a read stream hands out: big enough for few reads, small enough per client. */
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * Bytes `start`..`end` (inclusive) of the open file as a web stream that closes the file when it
 * ends, fails or is cancelled. The handle pins the version that was opened, even if a put replaces
 * the file meanwhile.
 */
export function fileRangeStream(
  handle: FileHandle,
  start: number,
  end: number,
): ReadableStream<Uint8Array> {
  let position = start;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (position <= end) {
          const buffer = new Uint8Array(Math.min(READ_CHUNK_BYTES, end - position + 1));
          const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, position);
          if (bytesRead === 0) {
            throw new Error(`the file ended at byte ${position}, before ${end + 1}`);
          }
          position += bytesRead;
          controller.enqueue(buffer.subarray(0, bytesRead));
        }
        if (position > end) {
          await close();
          controller.close();
        }
      } catch (error) {
        await close();
        controller.error(error);
      }
    },
    cancel: close,
  });
}
