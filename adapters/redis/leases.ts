/**
 * Leases on Redis: a key per name holding the holder's random token, set only if absent (SET NX
 * PX). The holder extends it every third of its lifetime, and only it can extend or delete it (the
 * scripts compare the token), so a lease that lapsed and was taken by someone else stays theirs.
 */
import type { Redis } from "ioredis";
import type { Lease, Leases } from "../../domain/ports/leases.ts";
import { redisCall } from "./client.ts";

/** KEYS[1]: the lease. ARGV[1]: the holder's token, ARGV[2]: lifetime (ms). 1 when extended. */
const EXTEND_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
/** KEYS[1]: the lease. ARGV[1]: the holder's token. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

type WithLeaseScripts = Redis & {
  leaseExtend(key: string, token: string, ttlMs: number): Promise<number>;
  leaseRelease(key: string, token: string): Promise<number>;
};

export interface RedisLeasesOptions {
  /** Namespace of the lease keys, e.g. "streaming:lease:" (default). */
  prefix?: string;
  /** How long a lease outlives its last extension (default 15 s): the wait after a holder dies. */
  ttlMs?: number;
}

export class RedisLeases implements Leases {
  readonly #client: WithLeaseScripts;
  readonly #prefix: string;
  readonly #ttlMs: number;

  constructor(client: Redis, options: RedisLeasesOptions = {}) {
    client.defineCommand("leaseExtend", { numberOfKeys: 1, lua: EXTEND_SCRIPT });
    client.defineCommand("leaseRelease", { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.#client = client as WithLeaseScripts;
    this.#prefix = options.prefix ?? "streaming:lease:";
    this.#ttlMs = options.ttlMs ?? 15_000;
    if (!Number.isInteger(this.#ttlMs) || this.#ttlMs < 30) {
      throw new RangeError(`ttlMs must be a whole number of at least 30 ms, got ${this.#ttlMs}`);
    }
  }

  async take(name: string, onLost?: () => void): Promise<Lease | undefined> {
    const key = this.#prefix + name;
    const token = crypto.randomUUID();
    const set = await redisCall(() => this.#client.set(key, token, "PX", this.#ttlMs, "NX"));
    if (set !== "OK") return undefined;
    return this.#hold(key, token, onLost);
  }

  #hold(key: string, token: string, onLost?: () => void): Lease {
    let held = true;
    /** Stops holding; answers whether the lease was still held. */
    const stop = () => {
      const was = held;
      held = false;
      clearInterval(extending);
      return was;
    };
    const lose = () => stop() && onLost?.();
    // A failed extension is retried at the next tick; the lease is lost only once it has lapsed.
    let lastExtendedAt = Date.now();
    const extending = setInterval(() => {
      redisCall(() => this.#client.leaseExtend(key, token, this.#ttlMs)).then(
        (extended) => extended === 1 ? lastExtendedAt = Date.now() : lose(),
        () => Date.now() - lastExtendedAt >= this.#ttlMs && lose(),
      );
    }, Math.floor(this.#ttlMs / 3));
    return {
      release: async () => {
        if (stop()) await redisCall(() => this.#client.leaseRelease(key, token));
      },
    };
  }
}
