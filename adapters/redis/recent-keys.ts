/**
 * RecentKeys on Redis, shared by every API process: one string key per remembered key, expiring
 * on its own (SET PX), so nothing needs sweeping and Redis's maxmemory policy bounds the total.
 */
import type { Redis } from "ioredis";
import type { RecentKeys } from "../../domain/ports/recent-keys.ts";
import { redisCall } from "./client.ts";

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
    // Each SET also restarts the key's time to live. The client's automatic pipelining sends
    // them in one write, together with what other requests asked for meanwhile.
    await redisCall(() =>
      Promise.all(keys.map((key) => this.client.set(this.#prefix + key, "1", "PX", this.#ttlMs)))
    );
  }
}
