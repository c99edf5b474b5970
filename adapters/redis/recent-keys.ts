/**
 * RecentKeys on Redis, shared by every API process: one string key per remembered key, expiring
 * on its own (SET PX), so nothing needs sweeping and Redis's maxmemory policy bounds the total.
 */
import type { Redis } from "ioredis";
import type { RecentKeys } from "../../domain/ports/recent-keys.ts";
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

  async seen(keys: readonly string[]): Promise<boolean[]> {
    if (keys.length === 0) return [];
    const values = await redisCall(() => this.client.mget(keys.map((key) => this.#prefix + key)));
    return values.map((value) => value !== null);
  }

  async remember(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    // One command for the batch (a post's events have two keys each), not a SET per key.
    const prefixed = keys.map((key) => this.#prefix + key);
    await redisCall(() =>
      (this.client as WithRemember)[COMMAND](prefixed.length, ...prefixed, this.#ttlMs)
    );
  }
}
