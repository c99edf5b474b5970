/**
 * PubSub within this process, for the embedded single-process profile. It behaves like the Redis
 * adapter as far as one process can tell: delivery is asynchronous (never inside `publish`), in
 * publish order, and messages go through JSON.
 */
import type { JsonObject } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { MessageHandler, PubSub, Unsubscribe } from "../../domain/ports/pubsub.ts";
import { checkChannel, deliver, encodeMessage } from "../pubsub/messages.ts";

export class MemoryPubSub implements PubSub {
  readonly #channels = new Map<string, Set<MessageHandler>>();
  #closed = false;

  constructor(private readonly logger?: Logger) {}

  publish(channel: string, message: JsonObject): Promise<void> {
    try {
      this.#assertOpen();
      const text = encodeMessage(channel, message);
      const subscribed = this.#channels.get(channel);
      if (!subscribed) return Promise.resolve();
      // Those subscribed now, and still subscribed when the message is handed out.
      const recipients = [...subscribed];
      queueMicrotask(() => {
        const current = this.#channels.get(channel);
        const still = recipients.filter((handler) => current?.has(handler));
        deliver(channel, still, text, this.logger);
      });
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  subscribe(channel: string, onMessage: MessageHandler): Promise<Unsubscribe> {
    try {
      this.#assertOpen();
      checkChannel(channel);
    } catch (error) {
      return Promise.reject(error);
    }
    // A Set holds a function once; wrap it so the same function can subscribe twice, as on Redis.
    const handler: MessageHandler = (message) => onMessage(message);
    const handlers = this.#channels.get(channel) ?? new Set();
    handlers.add(handler);
    this.#channels.set(channel, handlers);
    return Promise.resolve(() => {
      handlers.delete(handler);
      if (handlers.size === 0 && this.#channels.get(channel) === handlers) {
        this.#channels.delete(channel);
      }
      return Promise.resolve();
    });
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#channels.clear();
    return Promise.resolve();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("this pub/sub is closed");
  }
}
