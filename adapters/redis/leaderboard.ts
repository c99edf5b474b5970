/**
 * Leaderboards on Redis sorted sets: one per bucket (minute, hour, day; see
 * domain/analytics/windows.ts) plus one for all time, member = content id, score = views. A window
 * is the union of its buckets, computed in Redis and kept a second (`cacheMs`) so the hot reads
 * are one ZREVRANGE; buckets expire on their own once no window reads them.
 *
 * Writes are replay-safe: one script adds a batch and remembers, per partition of the telemetry
 * log, the offset of the last view it added; a view at or below it was added before and is skipped.
 */
import type { Redis } from "ioredis";
import {
  bucketStart,
  type Granularity,
  retentionMs,
  type Window,
  windowPlan,
} from "../../domain/analytics/windows.ts";
import type {
  CountedView,
  LeaderboardStore,
  RankedContent,
} from "../../domain/ports/leaderboard.ts";
import { redisCall } from "./client.ts";
import { deleteKeys } from "./testing.ts";

/**
 * KEYS[1]: the positions hash (partition -> last offset added); then four bucket keys per view.
 * ARGV, per view: partition, offset, content id, then an expiry (epoch ms) per bucket key: 0 keeps
 * the key for ever, -1 skips a bucket already too old to be read. Returns how many views it added.
 */
const RECORD_SCRIPT = `
local added = 0
local key = 2
for i = 1, #ARGV, 7 do
  local partition, offset, member = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2]
  local last = tonumber(redis.call('HGET', KEYS[1], partition) or '-1')
  if offset > last then
    for b = 0, 3 do
      local expire_at = ARGV[i + 3 + b]
      if expire_at ~= '-1' then
        redis.call('ZINCRBY', KEYS[key + b], 1, member)
        if expire_at ~= '0' then redis.call('PEXPIREAT', KEYS[key + b], expire_at) end
      end
    end
    redis.call('HSET', KEYS[1], partition, ARGV[i + 1])
    added = added + 1
  end
  key = key + 4
end
return added
`;

/**
 * KEYS[1]: the window's cached union (or the all-time board alone); the rest: its buckets. ARGV:
 * k, how long the union is kept (ms; 0: not at all).
 */
const TOP_SCRIPT = `
local union = #KEYS > 1 and redis.call('EXISTS', KEYS[1]) == 0
if union then redis.call('ZUNIONSTORE', KEYS[1], #KEYS - 1, unpack(KEYS, 2)) end
local top = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
if union then
  if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('DEL', KEYS[1]) end
end
return top
`;

type Scripted = Redis & {
  leaderboardRecord(...args: (string | number)[]): Promise<number>;
  leaderboardTop(...args: (string | number)[]): Promise<string[]>;
};

const GRANULARITIES: readonly Granularity[] = ["minute", "hour", "day"];

export interface RedisLeaderboardOptions {
  /** Namespace of every board key, e.g. "streaming:boards:". */
  prefix: string;
  /** How long a window's union is reused before it is computed again (default 1 000 ms). */
  cacheMs?: number;
}

export class RedisLeaderboardStore implements LeaderboardStore {
  readonly #client: Scripted;
  readonly #prefix: string;
  readonly #cacheMs: number;

  constructor(client: Redis, options: RedisLeaderboardOptions) {
    client.defineCommand("leaderboardRecord", { lua: RECORD_SCRIPT });
    client.defineCommand("leaderboardTop", { lua: TOP_SCRIPT });
    this.#client = client as Scripted;
    this.#prefix = options.prefix;
    this.#cacheMs = options.cacheMs ?? 1_000;
  }

  async record(board: string, views: readonly CountedView[], now: number): Promise<void> {
    if (views.length === 0) return;
    const keys = [this.#key(board, "positions")];
    const args: (string | number)[] = [];
    for (const view of views) {
      const at = Date.parse(view.viewed_at);
      args.push(view.partition, view.offset, view.content_id);
      for (const granularity of GRANULARITIES) {
        const start = bucketStart(granularity, at);
        const expireAt = start + retentionMs(granularity);
        keys.push(this.#bucket(board, granularity, start));
        args.push(expireAt > now ? expireAt : -1);
      }
      keys.push(this.#key(board, "all"));
      args.push(0);
    }
    await redisCall(() => this.#client.leaderboardRecord(keys.length, ...keys, ...args));
  }

  async top(board: string, window: Window, k: number, now: number): Promise<RankedContent[]> {
    const plan = windowPlan(window, now);
    const keys = plan
      ? [
        this.#key(board, `window:${window}:${plan.starts.at(-1)}`),
        ...plan.starts.map((start) => this.#bucket(board, plan.granularity, start)),
      ]
      : [this.#key(board, "all")];
    const reply = await redisCall(() =>
      this.#client.leaderboardTop(keys.length, ...keys, k, this.#cacheMs)
    );
    const ranked: RankedContent[] = [];
    for (let i = 0; i < reply.length; i += 2) {
      ranked.push({ content_id: reply[i]!, views: Number(reply[i + 1]) });
    }
    return ranked;
  }

  async drop(board: string): Promise<void> {
    await redisCall(() => deleteKeys(this.#client, this.#key(board, "")));
  }

  #bucket(board: string, granularity: Granularity, start: number): string {
    return this.#key(board, `${granularity}:${start}`);
  }

  #key(board: string, rest: string): string {
    // The board in braces: every key of a board hashes to one Redis Cluster slot, as scripts need.
    return `${this.#prefix}{${board}}:${rest}`;
  }
}
