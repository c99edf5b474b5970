/**
 * The one place that builds ioredis clients, and the one that decides which of their failures mean
 * "Redis is unavailable" (a 503 the client may retry) rather than a bug.
 *
 * The options favour failing fast over waiting: with the offline queue off, a command issued while
 * the connection is down fails at once instead of piling up in memory behind an outage; a command
 * in flight when the connection drops is resent at most once after a reconnect; and no operation
 * (`redisCall`) waits longer than CALL_TIMEOUT_MS. The client keeps reconnecting in the background, so the
 * service recovers on its own when Redis is back.
 *
 * Commands are pipelined automatically: those issued while earlier ones await their replies go out
 * together in the next write. Under load a request's several commands (rate limits, repeat keys, positions,
 * sync) share socket writes with other requests', and a write costs more CPU than a command
 * (docs/benchmarks.md, resource limit).
 */
import { Redis, ReplyError } from "ioredis";
import type { Logger } from "../../domain/ports/logger.ts";
import { BackingServiceUnavailableError } from "../../domain/ports/unavailable.ts";
import { Deadlines } from "../runtime/deadlines.ts";

/** Redis cannot answer now. The HTTP shell maps its base class to 503 with Retry-After. */
export class RedisUnavailableError extends BackingServiceUnavailableError {
  override readonly name = "RedisUnavailableError";
  constructor(message: string, options?: ErrorOptions) {
    super("redis", message, 5, options);
  }
}

export interface RedisClientOptions {
  /** What the connection is for ("main", "pubsub-subscriber"); shown in CLIENT LIST and logs. */
  name?: string;
  /** Where connection errors go (the first one of each outage, then one line when it is over). */
  logger?: Logger;
  /** Longest wait for the connection at start, and for one connection attempt (default 5 000 ms). */
  connectTimeoutMs?: number;
}

/** Opens a client on `url` (redis:// or rediss://) and waits until it is ready to take commands. */
export async function connectRedis(url: string, options: RedisClientOptions = {}): Promise<Redis> {
  const { name = "main", connectTimeoutMs = 5_000 } = options;
  const client = new Redis(url, {
    connectionName: `streaming-backend:${name}`,
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
    connectTimeout: connectTimeoutMs,
    // Reconnect forever, 100 ms apart at first and at most 2 s apart: an outage is temporary.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  reportConnectionErrors(client, name, options.logger);
  await whenReady(client, connectTimeoutMs);
  return client;
}

/** A second connection with the same settings, e.g. one that only subscribes. */
export async function duplicateRedis(client: Redis, name: string, logger?: Logger): Promise<Redis> {
  const copy = client.duplicate({ connectionName: `streaming-backend:${name}` });
  reportConnectionErrors(copy, name, logger);
  await whenReady(copy, client.options.connectTimeout ?? 5_000);
  return copy;
}

/** Resolves when the client can take commands; fails (and disconnects it) after `timeoutMs`. */
async function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === "ready") return;
  let lastError: unknown;
  const onError = (error: unknown) => lastError = error;
  let timer: ReturnType<typeof setTimeout> | undefined;
  client.on("error", onError);
  try {
    await new Promise<void>((resolve, reject) => {
      client.once("ready", resolve);
      timer = setTimeout(() => {
        client.off("ready", resolve);
        const why = lastError instanceof Error ? `: ${lastError.message}` : "";
        reject(new RedisUnavailableError(`Redis not ready within ${timeoutMs} ms${why}`));
      }, timeoutMs);
    });
  } catch (error) {
    client.disconnect();
    throw error;
  } finally {
    clearTimeout(timer);
    client.off("error", onError);
  }
}

/**
 * ioredis emits every failed (re)connection attempt as an "error" event, and prints it when no
 * one listens. Log the first of an outage and its end, not one line per retry.
 */
function reportConnectionErrors(client: Redis, name: string, logger?: Logger): void {
  let failing = false;
  client.on("error", (error: unknown) => {
    if (failing) return;
    failing = true;
    logger?.warn("redis connection failed; reconnecting", { connection: name, error });
  });
  client.on("ready", () => {
    if (failing) logger?.info("redis connection restored", { connection: name });
    failing = false;
  });
}

/** Replies meaning the server is there but cannot serve now (starting, failing over, busy). */
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|NOREPLICAS)\b/;
/** What ioredis throws when there is no usable connection, by message or by socket error code. */
const CONNECTION_MESSAGES = [
  "Stream isn't writeable",
  "Connection is closed",
  "Command timed out",
];
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** The error as a RedisUnavailableError when it is an outage; undefined for anything else. */
export function redisUnavailable(error: unknown): RedisUnavailableError | undefined {
  if (error instanceof RedisUnavailableError) return error;
  if (!(error instanceof Error)) return undefined;
  const outage = error instanceof ReplyError
    ? UNAVAILABLE_REPLY.test(error.message)
    : error.name === "MaxRetriesPerRequestError" ||
      CONNECTION_MESSAGES.some((message) => error.message.startsWith(message)) ||
      SOCKET_CODES.has((error as { code?: string }).code ?? "");
  return outage
    ? new RedisUnavailableError(`Redis unavailable: ${error.message}`, { cause: error })
    : undefined;
}

/** Longest wait for one Redis operation's replies, in milliseconds. */
export const CALL_TIMEOUT_MS = 2_000;
const deadlines = new Deadlines(100);

/**
 * Runs one Redis operation, turning outages into RedisUnavailableError; other errors pass. An
 * operation without its replies after CALL_TIMEOUT_MS fails as unavailable (replies that come
 * later are dropped).
 */
export async function redisCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await deadlines.within(
      work(),
      CALL_TIMEOUT_MS,
      () => new RedisUnavailableError(`Redis did not answer within ${CALL_TIMEOUT_MS} ms`),
    );
  } catch (error) {
    throw redisUnavailable(error) ?? error;
  }
}

/** Succeeds when Redis answers; for GET /ready. */
export async function pingRedis(client: Redis): Promise<void> {
  await redisCall(() => client.ping());
}

/** Closes the connection politely (QUIT), or at once when it is down anyway. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === "end") return;
  await client.quit().catch(() => client.disconnect());
}
