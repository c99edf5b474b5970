import type { Consumer } from "kafkajs";
import type { ConsumeOptions } from "../../domain/ports/telemetry-log.ts";
import { messageOffset } from "./packing.ts";

/** kafkajs's seek offset for "the earliest record still in the partition". */
const EARLIEST = "-2";

/**
 * Where each assigned partition is read from (record offsets, see packing.ts). On every (re)assignment the partitions are paused,
 * positioned at the consumer's checkpoint (or the earliest offset), then resumed; batches of
 * partitions not positioned yet are dropped unresolved, and kafkajs fetches them again after the
 * seek.
 */
export class PartitionPositions {
  generation = 0;
  readonly #next = new Map<number, bigint>();

  constructor(
    private readonly topic: string,
    private readonly consumer: Consumer,
    private readonly startOffset: ConsumeOptions["startOffset"],
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Called synchronously on GROUP_JOIN, before kafkajs fetches for the new assignment. */
  assign(partitions: readonly number[]): void {
    const generation = ++this.generation;
    this.#next.clear();
    if (partitions.length === 0) return;
    this.consumer.pause([{ topic: this.topic, partitions: [...partitions] }]);
    this.#seek(generation, partitions).catch(this.onError);
  }

  nextOffset(partition: number): bigint | undefined {
    return this.#next.get(partition);
  }

  advance(partition: number, generation: number, next: bigint): void {
    if (generation === this.generation) this.#next.set(partition, next);
  }

  async #seek(generation: number, partitions: readonly number[]): Promise<void> {
    const starts = await Promise.all(partitions.map((p) => this.startOffset(p)));
    if (generation !== this.generation) return; // reassigned meanwhile: that run positions
    partitions.forEach((partition, i) => {
      const start = starts[i];
      if (start !== undefined && !/^\d{1,22}$/.test(start)) {
        throw new RangeError(`"${start}" is not an offset (a non-negative decimal integer)`);
      }
      // A checkpoint inside a packed message reads that message again and skips what it passed.
      const seek = start === undefined ? EARLIEST : String(messageOffset(BigInt(start)));
      this.consumer.seek({ topic: this.topic, partition, offset: seek });
      this.#next.set(partition, BigInt(start ?? 0));
    });
    this.consumer.resume([{ topic: this.topic, partitions: [...partitions] }]);
  }
}
