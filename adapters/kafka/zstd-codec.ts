/**
 * Zstandard for kafkajs, which ships only GZIP: registered in kafkajs's codec table, with the
 * runtime's own zstd (node:zlib, native code; no codec package). Imported for its effect by
 * producer.ts, so every process that produces or consumes through the Kafka telemetry log can read
 * zstd batches (decision 0031).
 */
import type { Buffer } from "node:buffer";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { CompressionCodecs, CompressionTypes } from "kafkajs";

/** The zstd part of node:zlib (the installed Node typings predate it). */
interface ZstdZlib {
  zstdCompressSync(input: Buffer, options: { params: Record<number, number> }): Buffer;
  zstdDecompress(input: Buffer, done: (error: Error | null, output: Buffer) => void): void;
  constants: { ZSTD_c_compressionLevel: number };
}
const zstd = zlib as unknown as ZstdZlib;
const decompress = promisify(zstd.zstdDecompress);

/**
 * Level 1, the fastest: a send of telemetry JSON shrinks 15x, more than with GZIP's default level
 * (13x), for a sixth of its CPU (docs/benchmarks.md, Ingest).
 */
const PARAMS = { params: { [zstd.constants.ZSTD_c_compressionLevel]: 1 } };

CompressionCodecs[CompressionTypes.ZSTD] = () => ({
  // Synchronous: the asynchronous form runs the same compression on this thread too, behind a
  // stream's machinery (a Transform, its callbacks and buffer lists): 0.64-0.99 µs of CPU per event
  // against 0.55-0.70 for a send of 620 heartbeats (docs/benchmarks.md, Ingest, fifth pass).
  compress: (encoder: { buffer: Buffer }) =>
    Promise.resolve(zstd.zstdCompressSync(encoder.buffer, PARAMS)),
  decompress: (buffer: Buffer) => decompress(buffer),
});
