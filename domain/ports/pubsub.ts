/**
 * The pub/sub port: fire-and-forget messages between API processes, e.g. to tell a user's other
 * devices that a watch position or a list changed. In memory it reaches this process only; on Redis
 * it reaches every process subscribed to the channel.
 *
 * Delivery is at most once and live only: a subscriber gets the messages published after its
 * `subscribe` resolved, in the order one publisher published them, while its connection stands.
 * Nothing is stored or replayed, so a client that reconnects re-reads the state it shows and
 * uses messages only as hints to refresh. Messages are JSON objects (documents: snake_case).
 */
import type { JsonObject } from "./event-store.ts";

/**
 * Called once per message, with its own copy. A handler that throws (or returns a promise that
 * rejects) is logged and does not disturb the others; a returned promise is not awaited.
 */
export type MessageHandler = (message: JsonObject) => void | Promise<void>;

/** Stops one subscription; calling it again does nothing. */
export type Unsubscribe = () => Promise<void>;

export interface PubSub {
  /**
   * Sends `message` to the channel's current subscribers. Resolves once the broker took it, not
   * when subscribers got it; a channel without subscribers drops it.
   */
  publish(channel: string, message: JsonObject): Promise<void>;
  /** Resolves once the subscription is live: messages published from then on are delivered. */
  subscribe(channel: string, onMessage: MessageHandler): Promise<Unsubscribe>;
  /** Ends every subscription; publishing afterwards fails. */
  close(): Promise<void>;
}
