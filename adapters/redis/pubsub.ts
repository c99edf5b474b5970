/**
 * PubSub over Redis channels, reaching every API process. Messages are published on the shared
 * client and received on a dedicated connection: a subscribed connection is a stream of pushes
 * that must not sit in front of other commands' replies. The connection subscribes to a Redis
 * channel once, however many local handlers listen to it, and leaves it with the last one.
 *
 * After a dropped connection ioredis subscribes again on its own; what was published in between
 * is lost, as the port allows (delivery is at most once).
 */
import type { Redis } from "ioredis";
import type { JsonObject } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { MessageHandler, PubSub, Unsubscribe } from "../../domain/ports/pubsub.ts";
import { checkChannel, deliver, encodeMessage } from "../pubsub/messages.ts";
import { closeRedis, duplicateRedis, redisCall } from "./client.ts";

export interface RedisPubSubOptions {
  /** Namespace of the Redis channels, e.g. "streaming:sync:" (default), so deployments can share a server. */
  prefix?: string;
  logger?: Logger;
}

interface Channel {
  handlers: Set<MessageHandler>;
  /** The SUBSCRIBE every handler of this channel waits for. */
  subscribed: Promise<unknown>;
}

export class RedisPubSub implements PubSub {
  /** Local channel name (without the prefix) → its handlers. */
  readonly #channels = new Map<string, Channel>();
  readonly #prefix: string;
  #closed = false;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisPubSubOptions,
  ) {
    this.#prefix = options.prefix ?? "streaming:sync:";
    subscriber.on("message", (redisChannel: string, text: string) => {
      if (!redisChannel.startsWith(this.#prefix)) return;
      const channel = redisChannel.slice(this.#prefix.length);
      const handlers = this.#channels.get(channel)?.handlers;
      if (handlers) deliver(channel, handlers, text, options.logger);
    });
  }

  /** Publishes on `client` (shared, not closed by this) and opens its own subscriber connection. */
  static async open(client: Redis, options: RedisPubSubOptions = {}): Promise<RedisPubSub> {
    const subscriber = await duplicateRedis(client, "pubsub-subscriber", options.logger);
    return new RedisPubSub(client, subscriber, options);
  }

  async publish(channel: string, message: JsonObject): Promise<void> {
    this.#assertOpen();
    const text = encodeMessage(channel, message);
    await redisCall(() => this.publisher.publish(this.#prefix + channel, text));
  }

  async subscribe(channel: string, onMessage: MessageHandler): Promise<Unsubscribe> {
    this.#assertOpen();
    checkChannel(channel);
    // Its own function, so the same onMessage may subscribe twice and leave once.
    const handler: MessageHandler = (message) => onMessage(message);
    const entry = this.#channels.get(channel) ?? this.#join(channel);
    entry.handlers.add(handler);
    const leave = async () => {
      if (!entry.handlers.delete(handler) || entry.handlers.size > 0) return;
      if (this.#channels.get(channel) !== entry) return;
      this.#channels.delete(channel);
      await this.#leave(channel);
    };
    try {
      await entry.subscribed;
    } catch (error) {
      await leave();
      throw error;
    }
    return leave;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#channels.clear();
    await closeRedis(this.subscriber);
  }

  #join(channel: string): Channel {
    const entry: Channel = {
      handlers: new Set(),
      subscribed: redisCall(() => this.subscriber.subscribe(this.#prefix + channel)),
    };
    entry.subscribed.catch(() => {}); // each subscriber awaits it and sees the error itself
    this.#channels.set(channel, entry);
    return entry;
  }

  /**
   * Unsubscribing is cleanup: if Redis is down it is logged, not thrown. Messages the connection
   * still gets for the channel find no handler and are dropped.
   */
  async #leave(channel: string): Promise<void> {
    if (this.#closed) return;
    try {
      await redisCall(() => this.subscriber.unsubscribe(this.#prefix + channel));
    } catch (error) {
      this.options.logger?.warn("redis unsubscribe failed", { channel, error });
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("this pub/sub is closed");
  }
}
