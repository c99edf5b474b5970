/**
 * The read side of the client comparison (consumer.ts, decision 0036): a consumer of a new group
 * reads the topic from the beginning through @platformatic/kafka and decodes every packed message
 * (adapters/kafka/packing.ts) until `total` records came, as bareKafkaConsume does with kafkajs
 * (ops/bench/projections/kafka.ts), with the same fetch wait and session settings.
 */
import { Consumer, MessagesStreamModes } from "@platformatic/kafka";
import { unpack } from "../../../adapters/kafka/packing.ts";
import type { ConsumeWindow } from "../projections/kafka.ts";

const TIMEOUT_MS = 120_000;
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

export async function platformaticConsume(
  brokers: readonly string[],
  topic: string,
  group: string,
  total: number,
): Promise<ConsumeWindow> {
  const consumer = new Consumer({
    clientId: "bench-consumer",
    groupId: group,
    bootstrapBrokers: [...brokers],
    maxWaitTime: 500,
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    // kafkajs's defaults, which the bare kafkajs consumer keeps.
    maxBytes: 10 * 1024 * 1024,
  });
  const stream = await consumer.consume({
    topics: [topic],
    mode: MessagesStreamModes.EARLIEST,
    autocommit: false,
  });
  let first: number | undefined;
  let count = 0;
  const deadline = setTimeout(
    () => stream.destroy(new Error(`read ${count} of ${total} records`)),
    TIMEOUT_MS,
  );
  try {
    for await (const message of stream) {
      first ??= performance.now();
      count += unpack(utf8.decode(message.value))?.length ?? 0;
      if (count >= total) break;
    }
    return { events: count, seconds: (performance.now() - first!) / 1000 };
  } finally {
    clearTimeout(deadline);
    await stream.close().catch(() => {});
    await consumer.close(true);
  }
}
