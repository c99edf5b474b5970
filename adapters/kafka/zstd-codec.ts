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
  zstdCompress(
    input: Buffer,
    options: { params: Record<number, number> },
    done: (error: Error | null, output: Buffer) => void,
  ): void;
  zstdDecompress(input: Buffer, done: (error: Error | null, output: Buffer) => void): void;
  constants: { ZSTD_c_compressionLevel: number };
}
const zstd = zlib as unknown as ZstdZlib;
const compress = promisify(zstd.zstdCompress);
const decompress = promisify(zstd.zstdDecompress);

/**
 * Level 1, the fastest: a send of telemetry JSON shrinks 15x, more than with GZIP's default level
 * (13x), for a sixth of its CPU (docs/benchmarks.md, Ingest).
 */
const PARAMS = { params: { [zstd.constants.ZSTD_c_compressionLevel]: 1 } };

CompressionCodecs[CompressionTypes.ZSTD] = () => ({
  compress: (encoder: { buffer: Buffer }) => compress(encoder.buffer, PARAMS),
  decompress: (buffer: Buffer) => decompress(buffer),
});
