/** What command routes take from an HTTP request besides its body. */
import type { Context } from "hono";
import type { EventMetadata, EventStore } from "../domain/ports/event-store.ts";
import { ValidationError } from "../domain/shared/errors.ts";
import type { CommandOptions } from "./handle-command.ts";
import { actorOf } from "./identity.ts";

/** What command routes need: the store, and how often to retry after a concurrent write. */
export interface CommandDeps {
  store: EventStore;
  retries: number;
}

/** Metadata and retry budget for a command handled on behalf of this request. */
export function commandOptions(c: Context, deps: CommandDeps): CommandOptions {
  return { metadata: commandMetadata(c), retries: deps.retries };
}

/**
 * Correlation id (the caller's X-Correlation-Id, else the request id), causation (the request),
 * actor and receive time recorded with every event.
 */
export function commandMetadata(c: Context): EventMetadata {
  return {
    correlation_id: c.get("correlationId") ?? c.get("requestId"),
    causation_id: c.get("requestId"),
    actor: actorOf(c),
    received_at: new Date().toISOString(),
  };
}

/** The version in an If-Match header ("3" or W/"3"), when the client sent one. */
export function ifMatchVersion(c: Context): number | undefined {
  const header = c.req.header("if-match");
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match) {
    throw new ValidationError([{ path: "If-Match", message: 'expected an ETag such as "3"' }]);
  }
  return Number(match[1]);
}

/** The ETag of a resource at a stream version. */
export function etag(version: number): string {
  return `"${version}"`;
}
