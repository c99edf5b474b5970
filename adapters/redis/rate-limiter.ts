/**
 * Token buckets on Redis, shared by every API process. One Lua script reads, refills and takes in
 * a single atomic step, so concurrent takes from any number of processes never over-admit. The
 * script reads the time from Redis (TIME), not from the callers: processes whose clocks disagree
 * still refill the same bucket at the same rate.
 */
import type { Redis } from "ioredis";
import type {
  BucketTake,
  RateLimitDecision,
  RateLimiter,
  RateLimits,
} from "../../domain/ports/rate-limiter.ts";
import { checkCost, checkLimits, fillTimeMs } from "../rate-limiter/limits.ts";
import { redisCall } from "./client.ts";

/**
 * KEYS: the buckets, each a hash {tokens, ts}, taken from in order. ARGV: per bucket capacity,
 * refill per second, cost, expiry (ms). Returns per bucket taken {allowed (0/1), whole tokens left,
 * retry after (ms)}, stopping after the first refusal. A missing bucket is a full one, so the hash
 * may expire once it would have filled up again. TIME in a script is safe since Redis 5: scripts
 * replicate their writes, not themselves.
 */
const TAKE_SCRIPT = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local decisions = {}
for i, key in ipairs(KEYS) do
  local arg = (i - 1) * 4
  local capacity = tonumber(ARGV[arg + 1])
  local per_ms = tonumber(ARGV[arg + 2]) / 1000
  local cost = tonumber(ARGV[arg + 3])
  local state = redis.call('HMGET', key, 'tokens', 'ts')
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
  redis.call('HSET', key, 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.17g', ts))
  redis.call('PEXPIRE', key, ARGV[arg + 4])
  table.insert(decisions, allowed)
  table.insert(decisions, math.floor(tokens))
  table.insert(decisions, retry_after)
  if allowed == 0 then break end
end
return decisions
`;

/** The name the script is registered under on the client (ioredis sends EVALSHA, EVAL once). */
const COMMAND = "rateLimiterTake";

type WithTake = Redis & {
  [COMMAND](buckets: number, ...keysAndArgs: (string | number)[]): Promise<number[]>;
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
    client.defineCommand(COMMAND, { lua: TAKE_SCRIPT });
    this.#client = client as WithTake;
    this.#prefix = options.prefix;
    this.#expiryMs = fillTimeMs(limits) + 1_000;
  }

  async take(key: string, cost = 1): Promise<RateLimitDecision> {
    checkCost(cost, this.limits);
    const [decision] = await this.#takeAll([{ limiter: this, key, cost }]);
    return decision!;
  }

  /** In one script when every bucket is of a Redis limiter on this one's client. */
  takeInOrder(takes: readonly BucketTake[]): Promise<RateLimitDecision[] | undefined> {
    const ours = takes.flatMap(({ limiter, key }) =>
      limiter instanceof RedisRateLimiter && limiter.#client === this.#client
        ? [{ limiter, key, cost: 1 }]
        : []
    );
    if (ours.length < takes.length) return Promise.resolve(undefined);
    return this.#takeAll(ours);
  }

  async #takeAll(
    takes: readonly { limiter: RedisRateLimiter; key: string; cost: number }[],
  ): Promise<RateLimitDecision[]> {
    const keys = takes.map(({ limiter, key }) => limiter.#prefix + key);
    const args = takes.flatMap(({ limiter, cost }) => [
      limiter.limits.capacity,
      limiter.limits.refillPerSecond,
      cost,
      limiter.#expiryMs,
    ]);
    const reply = await redisCall(() => this.#client[COMMAND](keys.length, ...keys, ...args));
    const decisions: RateLimitDecision[] = [];
    for (let i = 0; i < reply.length; i += 3) {
      decisions.push({
        allowed: reply[i] === 1,
        remaining: reply[i + 1]!,
        retry_after_ms: reply[i + 2]!,
      });
    }
    return decisions;
  }
}
