/** EndedSessions on Redis, shared by every API process: a key per ended session, expiring on its own. */
import type { Redis } from "ioredis";
import type { EndedSessions } from "../../domain/ports/ended-sessions.ts";
import { redisCall } from "./client.ts";

export interface RedisEndedSessionsOptions {
  /** Namespace of the keys, e.g. "streaming:ended-session:" (default). */
  prefix?: string;
  /** How long an ended session is remembered: the access tokens' lifetime. */
  ttlMs: number;
}

export class RedisEndedSessions implements EndedSessions {
  readonly #prefix: string;

  constructor(private readonly client: Redis, private readonly options: RedisEndedSessionsOptions) {
    this.#prefix = options.prefix ?? "streaming:ended-session:";
  }

  async end(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    await redisCall(() => {
      const writes = this.client.multi();
      for (const id of sessionIds) writes.set(this.#prefix + id, "1", "PX", this.options.ttlMs);
      return writes.exec();
    });
  }

  async has(sessionId: string): Promise<boolean> {
    return await redisCall(() => this.client.exists(this.#prefix + sessionId)) === 1;
  }
}
