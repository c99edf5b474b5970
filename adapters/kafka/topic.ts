/**
 * The log's topic, through one kafkajs admin client: created on first use when it is missing, with
 * the broker's clock for timestamps and the configured retention; its partitions and their ends.
 */
import type { Admin, Kafka } from "kafkajs";
import { leaderNotReady, unavailable } from "./errors.ts";

export interface TopicSettings {
  name: string;
  /** Partitions when this creates the topic. */
  partitions: number;
  /** Replicas when this creates the topic (undefined: the broker's default). */
  replicationFactor?: number;
  /** retention.ms when this creates the topic. */
  retentionMs: number;
}

/** How often a new topic's partitions are asked about, 100 ms apart, before giving up. */
const TOPIC_WAIT_ATTEMPTS = 50;

export class TelemetryTopic {
  #admin?: Promise<Admin>;
  #ready?: Promise<void>;

  constructor(private readonly kafka: Kafka, private readonly settings: TopicSettings) {}

  /** Creates the topic on first use when it is missing (another process may create it first). */
  ensure(): Promise<void> {
    return this.#ready ??= (async () => {
      try {
        const admin = await this.#connectedAdmin();
        await admin.createTopics({
          // kafkajs's own wait gives up on "unknown topic", which a new topic may still be for a
          // moment; partitionCount below waits for the leaders and tolerates that.
          waitForLeaders: false,
          topics: [{
            topic: this.settings.name,
            numPartitions: this.settings.partitions,
            replicationFactor: this.settings.replicationFactor,
            configEntries: [
              // logged_at is when the broker stored the record, not the producer's clock.
              { name: "message.timestamp.type", value: "LogAppendTime" },
              { name: "retention.ms", value: String(this.settings.retentionMs) },
            ],
          }],
        }); // false when it exists already
        await this.partitionCount();
      } catch (error) {
        this.#ready = undefined;
        throw error;
      }
    })();
  }

  /**
   * The topic's partition count once every partition has a leader. Right after creation the
   * broker may still answer "unknown topic" (kafkajs's waitForLeaders gives up on that), so this
   * asks again for a few seconds.
   */
  async partitionCount(): Promise<number> {
    const admin = await this.#connectedAdmin();
    return await askAgain(
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [this.settings.name] });
        const partitions = topics[0]?.partitions ?? [];
        const led = partitions.length > 0 && partitions.every((p) => p.leader >= 0);
        return led ? partitions.length : undefined;
      },
      (error) => unavailable(error) !== undefined,
      `topic ${this.settings.name} has no leaders`,
    );
  }

  /**
   * Per partition, in partition order, the high watermark: the offset of the next record. Right
   * after creation a partition's leader may refuse the request for a moment though the metadata
   * names it (kafkajs does not retry that), so this asks again for a few seconds.
   */
  async endOffsets(): Promise<Map<number, string>> {
    const admin = await this.#connectedAdmin();
    return await askAgain(
      async () => {
        const offsets = await admin.fetchTopicOffsets(this.settings.name);
        const ends = offsets.toSorted((a, b) => a.partition - b.partition);
        return new Map(ends.map(({ partition, high }) => [partition, high]));
      },
      leaderNotReady,
      `topic ${this.settings.name} has no end offsets`,
    );
  }

  /** Resolves once the cluster answers. */
  async ping(): Promise<void> {
    await (await this.#connectedAdmin()).describeCluster();
  }

  async close(): Promise<void> {
    const admin = this.#admin;
    this.#admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => {});
  }

  #connectedAdmin(): Promise<Admin> {
    return this.#admin ??= (async () => {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
        return admin;
      } catch (error) {
        this.#admin = undefined;
        throw error;
      }
    })();
  }
}

/**
 * `ask`'s answer once it has one (undefined: not yet), asked again 100 ms apart while it has none
 * or fails with an error `retriable` accepts; after TOPIC_WAIT_ATTEMPTS it fails with `giveUp` or
 * the last error.
 */
async function askAgain<T>(
  ask: () => Promise<T | undefined>,
  retriable: (error: unknown) => boolean,
  giveUp: string,
): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      const answer = await ask();
      if (answer !== undefined) return answer;
    } catch (error) {
      if (!retriable(error) || attempt >= TOPIC_WAIT_ATTEMPTS) throw error;
    }
    if (attempt >= TOPIC_WAIT_ATTEMPTS) throw new Error(giveUp);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
