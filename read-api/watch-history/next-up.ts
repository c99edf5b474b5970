/** GET /v1/shows/{id}/next-up: the episode the viewer should watch next. */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import * as v from "valibot";
import { requireViewer, viewerOf } from "../../commands/positions/viewer.ts";
import { Id } from "../../domain/catalog/values.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { NotFoundError } from "../../domain/shared/errors.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { nextUp } from "../../domain/watch-history/next-up.ts";
import { isCompleted, type ResumeRules } from "../../domain/watch-history/resume-rules.ts";
import { json, tags, viewerProblems } from "./openapi.ts";
import { presentEntry, progressOf } from "./present.ts";
import { episodesWithProgress } from "./queries.ts";

const ShowParam = v.object({ id: Id });

export function nextUpRoutes(sql: SqlExecutor, rules: ResumeRules): Hono {
  return new Hono().get(
    "/:id/next-up",
    describeRoute({
      tags,
      summary: "The episode after the last one the viewer completed, across seasons",
      description: "`episode` is the first episode when nothing is watched yet, and null when " +
        "the viewer completed the last one. Specials (season 0) are not offered.",
      responses: {
        200: json("The show id and the episode (null when there is none)"),
        404: json("Unknown show"),
        ...viewerProblems,
      },
    }),
    requireViewer,
    validator("param", ShowParam, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      const rows = await episodesWithProgress(sql, viewerOf(c), id);
      if (!rows) throw new NotFoundError(`show ${id} does not exist`);
      const next = nextUp(rows.map((row) => ({
        id: row.content_id,
        // The query returns numbered episodes only.
        seasonNumber: row.season_number ?? 0,
        episodeNumber: row.episode_number ?? 0,
        published: row.status === "published",
        completed: isCompleted(progressOf(row), rules),
      })));
      const episode = rows.find((row) => row.content_id === next?.id);
      return c.json({ show_id: id, episode: episode ? presentEntry(episode, rules) : null });
    },
  );
}
