/**
 * RecentKeys on Redis, shared by every API process: two string keys per remembered event (its id,
 * its session and seq), each expiring on its own (SET PX), so nothing needs sweeping and Redis's
 * maxmemory policy bounds the total.
 */
import type { Redis } from "ioredis";
import type { EventKeys, RecentKeys } from "../../domain/ports/recent-keys.ts";
import { redisCall } from "./client.ts";

/** KEYS: the keys to remember. ARGV[1]: their time to live (ms). Each SET restarts it. */
const REMEMBER_SCRIPT = `
for _, key in ipairs(KEYS) do redis.call('SET', key, '1', 'PX', ARGV[1]) end
return #KEYS
`;

const COMMAND = "recentKeysRemember";
type WithRemember = Redis & {
  [COMMAND](count: number, ...keysAndTtl: (string | number)[]): Promise<number>;
};

export interface RedisRecentKeysOptions {
  /** Namespace for this store's keys, e.g. "streaming:recent:" (default). */
  prefix?: string;
  /** How long a key is remembered (default 10 minutes, as in memory). */
  ttlMs?: number;
}

export class RedisRecentKeys implements RecentKeys {
  readonly #prefix: string;
  readonly #ttlMs: number;

  constructor(private readonly client: Redis, options: RedisRecentKeysOptions = {}) {
    client.defineCommand(COMMAND, { lua: REMEMBER_SCRIPT });
    this.#prefix = options.prefix ?? "streaming:recent:";
    this.#ttlMs = options.ttlMs ?? 10 * 60 * 1000;
    if (!Number.isInteger(this.#ttlMs) || this.#ttlMs < 1) {
      throw new RangeError(`ttlMs must be a whole number of milliseconds, got ${this.#ttlMs}`);
    }
  }

  async seen(events: readonly EventKeys[]): Promise<boolean[]> {
    if (events.length === 0) return [];
    const values = await redisCall(() => this.client.mget(this.#keysOf(events)));
    return events.map((_, i) => values[2 * i] !== null || values[2 * i + 1] !== null);
  }

  async remember(events: readonly EventKeys[]): Promise<void> {
    if (events.length === 0) return;
    // One command for the batch, not a SET per key.
    const keys = this.#keysOf(events);
    await redisCall(() =>
      (this.client as WithRemember)[COMMAND](keys.length, ...keys, this.#ttlMs)
    );
  }

  /** Each event's two keys, side by side. */
  #keysOf(events: readonly EventKeys[]): string[] {
    return events.flatMap((event) => [
      `${this.#prefix}event:${event.event_id}`,
      `${this.#prefix}seq:${event.session_id}:${event.seq}`,
    ]);
  }
}
