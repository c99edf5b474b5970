/** Catalog queries, answered from the catalog read model only. */
import { type Context, Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import * as v from "valibot";
import { CONTENT_TYPES, Id } from "../../domain/catalog/values.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { ForbiddenError, NotFoundError } from "../../domain/shared/errors.ts";
import { mayActAs } from "../../commands/identity.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { json, wholeNumberParam } from "../openapi.ts";
import {
  findShow,
  findVideo,
  LISTED_STATUSES,
  listVideos,
  VIDEO_SORTS,
} from "../../projections/catalog/queries.ts";

const tags = ["catalog"];
const IdParam = v.object({ id: Id });

export const VideoListQuery = v.strictObject({
  content_type: v.optional(v.picklist(CONTENT_TYPES)),
  genre: v.optional(v.pipe(v.string(), v.maxLength(60))),
  year: v.optional(wholeNumberParam(1870, 2100)),
  status: v.optional(v.picklist([...LISTED_STATUSES, "all"]), "published"),
  sort: v.optional(v.picklist(VIDEO_SORTS), "newest"),
  limit: v.optional(wholeNumberParam(1, 100), "20"),
  offset: v.optional(wholeNumberParam(0, 1_000_000), "0"),
});

/** Unpublished items exist only for editors and admins (and everyone with AUTH_MODE=off). */
function visible(c: Context, item: Record<string, unknown>): boolean {
  return item.status === "published" || mayActAs(c, "editor");
}

export function catalogQueryRoutes(sql: SqlExecutor) {
  const videos = new Hono()
    .get(
      "/",
      describeRoute({
        tags,
        summary:
          "List videos: filter by content type, genre and year; sort by title, year or newest",
        responses: { 200: json("A page of videos with the total count"), 400: json("Bad query") },
      }),
      validator("query", VideoListQuery, throwIfInvalid),
      async (c) => {
        const query = c.req.valid("query");
        if (query.status !== "published" && !mayActAs(c, "editor")) {
          throw new ForbiddenError("only editors and admins list unpublished items");
        }
        const page = await listVideos(sql, query);
        return c.json({ ...page, limit: query.limit, offset: query.offset });
      },
    )
    .get(
      "/:id",
      describeRoute({
        tags,
        summary: "Read a video",
        responses: { 200: json("The video"), 404: json("Unknown") },
      }),
      validator("param", IdParam, throwIfInvalid),
      async (c) => {
        const { id } = c.req.valid("param");
        const video = await findVideo(sql, id);
        if (!video || !visible(c, video)) throw new NotFoundError(`video ${id} does not exist`);
        c.header("etag", `"${video.version}"`);
        return c.json(video);
      },
    );

  const shows = new Hono().get(
    "/:id",
    describeRoute({
      tags,
      summary: "Read a show with its seasons and episodes in order",
      responses: { 200: json("The show"), 404: json("Unknown") },
    }),
    validator("param", IdParam, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      const show = await findShow(sql, id);
      if (!show || !visible(c, show)) throw new NotFoundError(`show ${id} does not exist`);
      c.header("etag", `"${show.version}"`);
      return c.json(show);
    },
  );

  return { videos, shows };
}
