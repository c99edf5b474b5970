/**
 * GET /v1/analytics/top: the most viewed contents over a sliding window, overall or for one genre
 * or content type. GET /v1/videos/:id/stats: a video's views, all time and over the last hour, day,
 * week and month. Views follow the rule of domain/analytics/view-rule.ts.
 */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import * as v from "valibot";
import { WINDOWS } from "../../domain/analytics/windows.ts";
import { CONTENT_TYPES, Id } from "../../domain/catalog/values.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { NotFoundError } from "../../domain/shared/errors.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { findVideo } from "../../projections/catalog/queries.ts";
import { viewStats } from "../../projections/views/queries.ts";
import { json, wholeNumberParam } from "../openapi.ts";
import type { Leaderboards, TopAnswer } from "./leaderboards.ts";

const tags = ["analytics"];

const TopQuery = v.strictObject({
  k: v.optional(wholeNumberParam(1, 100), "10"),
  window: v.optional(v.picklist(WINDOWS), "day"),
  genre: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(60))),
  content_type: v.optional(v.picklist(CONTENT_TYPES)),
});

export interface AnalyticsRoutesOptions {
  sql: SqlExecutor;
  leaderboards: Leaderboards;
  /** Seconds a session must play to count as a view; shown in the answers. */
  minPlayedSec: number;
  clock?: () => number;
}

export function analyticsRoutes(options: AnalyticsRoutesOptions) {
  const { sql, leaderboards, minPlayedSec, clock = Date.now } = options;
  const rule = `a view is a session that reached its first frame and played ${minPlayedSec} s`;
  // Requests within the answer cache time share one answer object (one per query): its JSON body
  // is written once, not once per request.
  const bodies = new WeakMap<TopAnswer, string>();

  const analytics = new Hono().get(
    "/top",
    describeRoute({
      tags,
      summary: "Top-K most viewed over the last hour, day, week, month, year or all time",
      description: `Overall, or for one genre or content type; ${rule}, counted once. The hour ` +
        "board slides by the minute, day and week by the hour, month and year by the day.",
      responses: { 200: json("The ranked contents, most viewed first"), 400: json("Bad query") },
    }),
    validator("query", TopQuery, throwIfInvalid),
    async (c) => {
      const query = c.req.valid("query");
      const answer = await leaderboards.top(query, clock());
      let body = bodies.get(answer);
      if (body === undefined) {
        body = JSON.stringify({ ...query, ...answer });
        bodies.set(answer, body);
      }
      return c.body(body, 200, { "content-type": "application/json" });
    },
  );

  const videos = new Hono().get(
    "/:id/stats",
    describeRoute({
      tags,
      summary: "A video's views: all time and over the last hour, day, week and month",
      description: `${rule}, counted once.`,
      responses: { 200: json("The view counts"), 404: json("Unknown video") },
    }),
    validator("param", v.object({ id: Id }), throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      if (!await findVideo(sql, id)) throw new NotFoundError(`video ${id} does not exist`);
      const now = clock();
      return c.json({
        content_id: id,
        as_of: new Date(now).toISOString(),
        views: await viewStats(sql, id, now),
      });
    },
  );

  return { analytics, videos };
}
