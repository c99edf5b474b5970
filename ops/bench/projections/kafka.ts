/**
 * The Kafka side of the telemetry case, through kafkajs directly: the bare consumer (the baseline:
 * it reads, decodes and counts, nothing more) and the clean-up of the run's topic and groups.
 */
import { Kafka, logLevel } from "kafkajs";
import { unpack } from "../../../adapters/kafka/packing.ts";
// The telemetry log compresses with zstd, which kafkajs reads only once this codec is registered.
import "../../../adapters/kafka/zstd-codec.ts";

const TIMEOUT_MS = 120_000;

export interface ConsumeWindow {
  events: number;
  /** From the first batch's arrival to the end of the one that completed the count. */
  seconds: number;
}

function kafkaClient(brokers: readonly string[]): Kafka {
  return new Kafka({
    clientId: "bench-projections",
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
}

/**
 * Reads the topic from the beginning with a consumer of a new group until `total` records came,
 * with the fetch settings of the telemetry log's consumers (adapters/kafka/telemetry-log.ts).
 */
export async function bareKafkaConsume(
  brokers: readonly string[],
  topic: string,
  group: string,
  total: number,
): Promise<ConsumeWindow> {
  const consumer = kafkaClient(brokers).consumer({
    groupId: group,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 500,
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
  });
  let first: number | undefined;
  let count = 0;
  let finish!: (at: number) => void;
  const finished = new Promise<number>((resolve) => finish = resolve);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: ({ batch }) => {
        first ??= performance.now();
        // Decoded as any reader of the topic must (a message may hold a run of one session's
        // records, adapters/kafka/packing.ts); nothing is applied.
        for (const message of batch.messages) {
          count += unpack(message.value?.toString() ?? "")?.length ?? 0;
        }
        if (count >= total) finish(performance.now());
        return Promise.resolve();
      },
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) =>
      timer = setTimeout(() => resolve(undefined), TIMEOUT_MS)
    );
    const end = await Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
    if (end === undefined) throw new Error(`the bare consumer read ${count} of ${total} records`);
    return { events: count, seconds: (end - first!) / 1000 };
  } finally {
    await consumer.disconnect();
  }
}

/** Deletes the run's topic and consumer groups; what fails is reported, not thrown. */
export async function deleteKafkaLeftovers(
  brokers: readonly string[],
  topic: string,
  groups: readonly string[],
): Promise<string[]> {
  const admin = kafkaClient(brokers).admin();
  const problems: string[] = [];
  const attempt = (what: string, work: () => Promise<unknown>) =>
    work().catch((error) => problems.push(`${what}: ${error?.message ?? error}`));
  await attempt("connect", () => admin.connect());
  await attempt(`delete groups ${groups.join(", ")}`, () => admin.deleteGroups([...groups]));
  await attempt(`delete topic ${topic}`, () => admin.deleteTopics({ topics: [topic] }));
  await admin.disconnect().catch(() => {});
  return problems;
}
