/**
 * Token buckets on Redis, shared by every API process. One Lua script reads, refills and takes in
 * a single atomic step, so concurrent takes from any number of processes never over-admit. The
 * script reads the time from Redis (TIME), not from the callers: processes whose clocks disagree
 * still refill the same bucket at the same rate.
 */
import type { Redis } from "ioredis";
import type {
  RateLimitDecision,
  RateLimiter,
  RateLimits,
} from "../../domain/ports/rate-limiter.ts";
import { checkCost, checkLimits, fillTimeMs } from "../rate-limiter/limits.ts";
import { redisCall } from "./client.ts";

/**
 * KEYS[1]: the bucket, a hash {tokens, ts}. ARGV: capacity, refill per second, cost, expiry (ms).
 * Returns {allowed (0/1), whole tokens left, retry after (ms)}. A missing bucket is a full one, so
 * the hash may expire once it would have filled up again. TIME in a script is safe since Redis 5:
 * scripts replicate their writes, not themselves.
 */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2]) / 1000
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
if now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * per_ms)
  ts = now
end
local allowed = 0
local retry_after = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry_after = math.ceil((cost - tokens) / per_ms)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.17g', ts))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {allowed, math.floor(tokens), retry_after}
`;

/** The name the script is registered under on the client (ioredis sends EVALSHA, EVAL once). */
const COMMAND = "rateLimiterTake";

type TakeReply = [allowed: number, remaining: number, retryAfterMs: number];
type WithTake = Redis & {
  [COMMAND](key: string, ...args: (string | number)[]): Promise<TakeReply>;
};

export interface RedisRateLimiterOptions {
  /** Namespace of this policy's buckets, e.g. "streaming:rate:ingest:" (required: one per policy). */
  prefix: string;
}

export class RedisRateLimiter implements RateLimiter {
  readonly #client: WithTake;
  readonly #prefix: string;
  /** A bucket untouched this long is full again; a second more covers rounding. */
  readonly #expiryMs: number;

  constructor(
    client: Redis,
    private readonly limits: RateLimits,
    options: RedisRateLimiterOptions,
  ) {
    checkLimits(limits);
    // defineCommand is idempotent per name; every limiter on a client shares the one script.
    client.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE_SCRIPT });
    this.#client = client as WithTake;
    this.#prefix = options.prefix;
    this.#expiryMs = fillTimeMs(limits) + 1_000;
  }

  async take(key: string, cost = 1): Promise<RateLimitDecision> {
    checkCost(cost, this.limits);
    const [allowed, remaining, retryAfterMs] = await redisCall(() =>
      this.#client[COMMAND](
        this.#prefix + key,
        this.limits.capacity,
        this.limits.refillPerSecond,
        cost,
        this.#expiryMs,
      )
    );
    return { allowed: allowed === 1, remaining, retry_after_ms: retryAfterMs };
  }
}
