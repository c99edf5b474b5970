/**
 * Where top-K answers come from: the hot boards (Redis) when there are some, the board asked for is
 * overall, and they answer; otherwise, or when they are unavailable, the SQL aggregates (which
 * also serve the per-genre and per-content-type boards, joined with the catalog when reading).
 */
import type { LeaderboardStore, RankedContent } from "../../domain/ports/leaderboard.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { BackingServiceUnavailableError } from "../../domain/ports/unavailable.ts";
import { BOARDS_PROJECTION } from "../../projections/views/boards.ts";
import { liveSchema, type TopQuery, topViewed } from "../../projections/views/queries.ts";

export interface TopAnswer {
  items: RankedContent[];
  /** Which store answered: "redis" (hot boards) or "sql" (the aggregates). */
  source: "redis" | "sql";
}

export interface LeaderboardsOptions {
  sql: SqlExecutor;
  /** The hot boards; without them every board is read from SQL (the embedded profile). */
  hot?: LeaderboardStore;
  logger?: Logger;
  /** How long the live generation of the boards is remembered (default 1 000 ms). */
  liveCacheMs?: number;
}

export class Leaderboards {
  #live?: { board: string | undefined; until: number };

  constructor(private readonly options: LeaderboardsOptions) {}

  async top(query: TopQuery, now: number): Promise<TopAnswer> {
    const { sql, hot, logger } = this.options;
    const overall = query.genre === undefined && query.content_type === undefined;
    const board = hot && overall ? await this.#liveBoard(now) : undefined;
    if (hot && board) {
      try {
        return { items: await hot.top(board, query.window, query.k, now), source: "redis" };
      } catch (error) {
        if (!(error instanceof BackingServiceUnavailableError)) throw error;
        logger?.warn("hot leaderboards unavailable; reading the SQL aggregates", { error });
      }
    }
    return { items: await topViewed(sql, query, now), source: "sql" };
  }

  async #liveBoard(now: number): Promise<string | undefined> {
    if (!this.#live || this.#live.until < now) {
      const board = await liveSchema(this.options.sql, BOARDS_PROJECTION);
      this.#live = { board, until: now + (this.options.liveCacheMs ?? 1_000) };
    }
    return this.#live.board;
  }
}
