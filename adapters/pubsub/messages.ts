/**
 * What every PubSub adapter does alike: messages travel as JSON text (also in memory, so a
 * subscriber never shares an object with the publisher and both adapters accept the same
 * messages), and one failing handler does not keep a message from the others.
 */
import type { JsonObject } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { MessageHandler } from "../../domain/ports/pubsub.ts";

/** Throws a TypeError for a channel name no adapter accepts. */
export function checkChannel(channel: string): void {
  if (typeof channel !== "string" || channel.length === 0) {
    throw new TypeError("a pub/sub channel name must be a non-empty string");
  }
}

/** The message as JSON text; a TypeError when it is not a plain JSON object. */
export function encodeMessage(channel: string, message: JsonObject): string {
  checkChannel(channel);
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    throw new TypeError(`a pub/sub message must be a JSON object (channel "${channel}")`);
  }
  return JSON.stringify(message);
}

/** The message in `text`, or undefined (logged) when something else published non-JSON there. */
export function decodeMessage(
  channel: string,
  text: string,
  logger?: Logger,
): JsonObject | undefined {
  try {
    const message: unknown = JSON.parse(text);
    if (typeof message === "object" && message !== null && !Array.isArray(message)) {
      return message as JsonObject;
    }
  } catch {
    // reported below, with the non-object case
  }
  logger?.warn("pub/sub message dropped: not a JSON object", { channel, length: text.length });
  return undefined;
}

/** Calls each handler with the message; a handler that throws is logged and the rest go on. */
export function deliver(
  channel: string,
  handlers: Iterable<MessageHandler>,
  text: string,
  logger?: Logger,
): void {
  const message = decodeMessage(channel, text, logger);
  if (!message) return;
  // A snapshot: a handler may unsubscribe itself or others while we go through them.
  const all = [...handlers];
  all.forEach((handler, index) => {
    // Each handler but the last gets its own copy, so one that mutates its message cannot change
    // what the next one sees.
    const own = index === all.length - 1 ? message : structuredClone(message);
    const failed = (error: unknown) => logger?.error("pub/sub handler failed", { channel, error });
    try {
      const result: unknown = handler(own);
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  });
}
