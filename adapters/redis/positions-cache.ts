/**
 * The positions cache on Redis: one hash per viewer and item, merged by a Lua script that applies
 * the watch-entry rule in one atomic step (the position moves only to a later event time, or at
 * the same instant to a further position; the other fields only grow). Concurrent writers from
 * any number of processes, replays and out-of-order writes therefore leave the same hash. Each
 * write renews the key's expiry, so the cache holds the viewers who are watching now.
 */
import type { Redis } from "ioredis";
import type { CachedEntry, PositionsCache } from "../../domain/ports/positions-cache.ts";
import type { Viewer } from "../../domain/watch-history/viewer.ts";
import type { WatchEntry } from "../../domain/watch-history/watch-entry.ts";
import { redisCall } from "./client.ts";

/**
 * KEYS[1]: the entry hash. ARGV: complete (0/1), expiry (ms), then position_sec, position_at (ms),
 * session_id, device_id, duration_sec, furthest_sec, ended_at (ms), last_watched_at (ms), each ''
 * when absent. The position and its session and device move together.
 */
const MERGE_SCRIPT = `
local key = KEYS[1]
if ARGV[4] ~= '' then
  local current = redis.call('HMGET', key, 'pa', 'ps')
  local at, pos = tonumber(ARGV[4]), tonumber(ARGV[3])
  local current_at, current_pos = tonumber(current[1]), tonumber(current[2])
  if current_at == nil or at > current_at or (at == current_at and pos > current_pos) then
    redis.call('HSET', key, 'pa', ARGV[4], 'ps', ARGV[3])
    for i, field in ipairs({'sid', 'did'}) do
      local value = ARGV[4 + i]
      if value ~= '' then redis.call('HSET', key, field, value) else redis.call('HDEL', key, field) end
    end
  end
end
for i, field in ipairs({'dur', 'fur', 'end', 'lw'}) do
  local value = ARGV[6 + i]
  if value ~= '' then
    local current = tonumber(redis.call('HGET', key, field))
    if current == nil or tonumber(value) > current then redis.call('HSET', key, field, value) end
  end
end
if ARGV[1] == '1' then redis.call('HSET', key, 'complete', '1') end
redis.call('PEXPIRE', key, ARGV[2])
return 1
`;

const COMMAND = "positionsCacheMerge";
type WithMerge = Redis & { [COMMAND](key: string, ...args: string[]): Promise<number> };

export interface RedisPositionsCacheOptions {
  /** Namespace of the entries, e.g. "streaming:positions:". */
  prefix: string;
  /** How long an entry nobody writes stays cached (default one day). */
  ttlMs?: number;
}

export class RedisPositionsCache implements PositionsCache {
  readonly #client: WithMerge;

  constructor(client: Redis, private readonly options: RedisPositionsCacheOptions) {
    client.defineCommand(COMMAND, { numberOfKeys: 1, lua: MERGE_SCRIPT });
    this.#client = client as WithMerge;
  }

  async record(entries: readonly WatchEntry[]): Promise<void> {
    // Sent together without waiting for each reply: one round trip for the batch.
    await redisCall(() => Promise.all(entries.map((entry) => this.#merge(entry, false))));
  }

  async fill(entry: WatchEntry): Promise<void> {
    await redisCall(() => this.#merge(entry, true));
  }

  async get(viewer: Viewer, contentId: string): Promise<CachedEntry | undefined> {
    const hash = await redisCall(() => this.#client.hgetall(this.#key(viewer, contentId)));
    if (hash.lw === undefined) return undefined;
    const number = (field: string) => hash[field] === undefined ? undefined : Number(hash[field]);
    const entry: WatchEntry = {
      userId: viewer.userId,
      profileId: viewer.profileId,
      contentId,
      lastWatchedAtMs: Number(hash.lw),
    };
    if (hash.pa !== undefined) {
      entry.position = { positionSec: Number(hash.ps), atMs: Number(hash.pa) };
      if (hash.sid !== undefined) entry.position.sessionId = hash.sid;
      if (hash.did !== undefined) entry.position.deviceId = hash.did;
    }
    const optional = { durationSec: "dur", furthestSec: "fur", endedAtMs: "end" } as const;
    for (const [name, field] of Object.entries(optional)) {
      const value = number(field);
      if (value !== undefined) entry[name as keyof typeof optional] = value;
    }
    return { entry, complete: hash.complete === "1" };
  }

  #merge(entry: WatchEntry, complete: boolean): Promise<number> {
    const text = (value: string | number | undefined) => value === undefined ? "" : String(value);
    const { position } = entry;
    return this.#client[COMMAND](
      this.#key(entry, entry.contentId),
      complete ? "1" : "0",
      String(this.options.ttlMs ?? 24 * 3600 * 1000),
      text(position?.positionSec),
      text(position?.atMs),
      text(position?.sessionId),
      text(position?.deviceId),
      text(entry.durationSec),
      text(entry.furthestSec),
      text(entry.endedAtMs),
      text(entry.lastWatchedAtMs),
    );
  }

  #key(viewer: Viewer, contentId: string): string {
    // JSON keeps ids apart whatever characters they hold.
    return this.options.prefix + JSON.stringify([viewer.userId, viewer.profileId, contentId]);
  }
}
