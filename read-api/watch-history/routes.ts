/**
 * The viewer's watch history: continue watching, full history, the position in one item, and
 * next up for a show. Per user and profile (X-User-Id / X-Profile-Id with AUTH_MODE=off), from the
 * watch history read model joined with the catalog read model.
 */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import * as v from "valibot";
import { requireViewer, viewerOf } from "../../commands/positions/viewer.ts";
import type { PositionsCache } from "../../domain/ports/positions-cache.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { NotFoundError } from "../../domain/shared/errors.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import type { ResumeRules } from "../../domain/watch-history/resume-rules.ts";
import { ContentId } from "../../domain/watch-history/viewer.ts";
import { type FindPosition, positionsThroughCache } from "./cached-position.ts";
import { nextUpRoutes } from "./next-up.ts";
import { json, tags, viewerProblems } from "./openapi.ts";
import { presentEntry } from "./present.ts";
import { continueWatching, findEntry, watchHistory } from "./queries.ts";

const count = (max: number, fallback: number) =>
  v.optional(
    v.pipe(v.string(), v.digits("must be a whole number"), v.toNumber(), v.maxValue(max)),
    String(fallback),
  );
const Limit = v.pipe(count(100, 20), v.minValue(1));
const LimitQuery = v.strictObject({ limit: Limit });
const PageQuery = v.strictObject({ limit: Limit, offset: count(1_000_000, 0) });
const ContentParam = v.object({ content_id: ContentId });

/** With `cache` (production profile), positions are read through the positions cache. */
export function watchHistoryRoutes(sql: SqlExecutor, rules: ResumeRules, cache?: PositionsCache) {
  const findPosition: FindPosition = cache
    ? positionsThroughCache(sql, cache)
    : (viewer, contentId) => findEntry(sql, viewer, contentId);
  const me = new Hono()
    .get(
      "/continue-watching",
      describeRoute({
        tags,
        summary: "Items to resume, most recently watched first",
        description: `Published items watched between ${rules.minPercent} % and ` +
          `${rules.maxPercent} %, at least ${rules.minDurationSec} s long, not finished since.`,
        responses: { 200: json("The items, with position and catalog entry"), ...viewerProblems },
      }),
      requireViewer,
      validator("query", LimitQuery, throwIfInvalid),
      async (c) => {
        const { limit } = c.req.valid("query");
        const rows = await continueWatching(sql, viewerOf(c), rules, limit);
        return c.json({ items: rows.map((row) => presentEntry(row, rules)), limit });
      },
    )
    .get(
      "/history",
      describeRoute({
        tags,
        summary: "Everything watched, most recent first, a page at a time",
        responses: { 200: json("A page of items with the total count"), ...viewerProblems },
      }),
      requireViewer,
      validator("query", PageQuery, throwIfInvalid),
      async (c) => {
        const page = c.req.valid("query");
        const { rows, total } = await watchHistory(sql, viewerOf(c), page);
        return c.json({ items: rows.map((row) => presentEntry(row, rules)), total, ...page });
      },
    )
    .get(
      "/positions/:content_id",
      describeRoute({
        tags,
        summary: "The viewer's position in an item and where to resume",
        description: "404 when the viewer never watched the item. Otherwise the last position; " +
          "`resume_position_sec` is where to start (0 when the resume rules say from the start).",
        responses: { 200: json("The position"), 404: json("Never watched"), ...viewerProblems },
      }),
      requireViewer,
      validator("param", ContentParam, throwIfInvalid),
      async (c) => {
        const { content_id } = c.req.valid("param");
        const row = await findPosition(viewerOf(c), content_id);
        if (!row) throw new NotFoundError(`no position for ${content_id}: not watched yet`);
        return c.json(presentEntry(row, rules));
      },
    );

  return { me, shows: nextUpRoutes(sql, rules) };
}
