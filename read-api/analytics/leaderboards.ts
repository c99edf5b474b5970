/**
 * Where top-K answers come from: the hot boards (Redis) when there are some, the board asked for is
 * overall, and they answer; otherwise, or when they are unavailable, the SQL aggregates (which
 * also serve the per-genre and per-content-type boards, joined with the catalog when reading).
 * Each answer, titles included, is kept `cacheMs` in this process: boards move by the minute at the
 * finest, and a hot board asked thousands of times a second is computed once.
 */
import type { LeaderboardStore, RankedContent } from "../../domain/ports/leaderboard.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { BackingServiceUnavailableError } from "../../domain/ports/unavailable.ts";
import { BOARDS_PROJECTION } from "../../projections/views/boards.ts";
import {
  contentLabels,
  liveSchema,
  type TopQuery,
  topViewed,
} from "../../projections/views/queries.ts";

export interface RankedItem extends RankedContent {
  rank: number;
  title: string | null;
  content_type: string | null;
  genre: string | null;
}

export interface TopAnswer {
  items: RankedItem[];
  /** Which store answered: "redis" (hot boards) or "sql" (the aggregates). */
  source: "redis" | "sql";
  /** When it was computed (ISO 8601). */
  as_of: string;
}

export interface LeaderboardsOptions {
  sql: SqlExecutor;
  /** The hot boards; without them every board is read from SQL (the embedded profile). */
  hot?: LeaderboardStore;
  logger?: Logger;
  /** How long an answer, and the live generation of the boards, are reused (default 1 000 ms). */
  cacheMs?: number;
}

/** Distinct queries remembered at most (genre is free text); the cache starts over beyond. */
const MAX_CACHED = 1_000;

export class Leaderboards {
  readonly #answers = new Map<string, { answer: Promise<TopAnswer>; until: number }>();
  #live?: { board: string | undefined; until: number };

  constructor(private readonly options: LeaderboardsOptions) {}

  top(query: TopQuery, now: number): Promise<TopAnswer> {
    const key = JSON.stringify([query.window, query.k, query.genre, query.content_type]);
    const cached = this.#answers.get(key);
    if (cached && cached.until >= now) return cached.answer;
    if (this.#answers.size >= MAX_CACHED) this.#answers.clear();
    const answer = this.#compute(query, now);
    // Concurrent requests share the one in flight; a failure is not kept.
    this.#answers.set(key, { answer, until: now + this.#cacheMs });
    answer.catch(() => this.#answers.delete(key));
    return answer;
  }

  get #cacheMs(): number {
    return this.options.cacheMs ?? 1_000;
  }

  async #compute(query: TopQuery, now: number): Promise<TopAnswer> {
    const { sql } = this.options;
    const { items, source } = await this.#ranked(query, now);
    const labels = await contentLabels(sql, items.map((item) => item.content_id));
    return {
      source,
      as_of: new Date(now).toISOString(),
      items: items.map((item, i) => {
        const label = labels.get(item.content_id);
        return {
          rank: i + 1,
          ...item,
          title: label?.title ?? null,
          content_type: label?.content_type ?? null,
          genre: label?.genre ?? null,
        };
      }),
    };
  }

  async #ranked(query: TopQuery, now: number) {
    const { sql, hot, logger } = this.options;
    const overall = query.genre === undefined && query.content_type === undefined;
    const board = hot && overall ? await this.#liveBoard(now) : undefined;
    if (hot && board) {
      try {
        return {
          items: await hot.top(board, query.window, query.k, now),
          source: "redis" as const,
        };
      } catch (error) {
        if (!(error instanceof BackingServiceUnavailableError)) throw error;
        logger?.warn("hot leaderboards unavailable; reading the SQL aggregates", { error });
      }
    }
    return { items: await topViewed(sql, query, now), source: "sql" as const };
  }

  async #liveBoard(now: number): Promise<string | undefined> {
    if (!this.#live || this.#live.until < now) {
      const board = await liveSchema(this.options.sql, BOARDS_PROJECTION);
      this.#live = { board, until: now + Math.max(this.#cacheMs, 1_000) };
    }
    return this.#live.board;
  }
}
