/**
 * POST /v1/videos/:id/uploads/:upload_id/transcode: transcode an upload again (after a failure, or
 * to apply a newer ladder). The reactor picks the new request up; 409 while one is in progress.
 */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import * as v from "valibot";
import { Id } from "../../domain/catalog/values.ts";
import { NotFoundError } from "../../domain/shared/errors.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { jsonResponse, problems } from "../catalog/openapi.ts";
import { handleCommand, loadAggregate } from "../handle-command.ts";
import { type CommandDeps, commandOptions } from "../http-context.ts";
import { transcodeAggregate } from "./aggregate.ts";

const Params = v.object({ id: Id, upload_id: Id });
const Requested = v.object({
  upload_id: v.string(),
  video_id: v.string(),
  status: v.literal("requested"),
  requested_at: v.string(),
});

export function transcodeCommandRoutes(deps: CommandDeps): Hono {
  return new Hono().post(
    "/:id/uploads/:upload_id/transcode",
    describeRoute({
      tags: ["media"],
      summary: "Transcode an upload again",
      responses: {
        202: jsonResponse("The new transcode request", Requested),
        400: problems[400],
        404: problems[404],
        409: problem409,
      },
    }),
    validator("param", Params, throwIfInvalid),
    async (c) => {
      const { id, upload_id } = c.req.valid("param");
      // An upload belongs to one video for good, so this check cannot go stale.
      const { state } = await loadAggregate(deps.store, transcodeAggregate, upload_id);
      if (state.request?.video_id !== id) {
        throw new NotFoundError(`video ${id} has no transcoded upload ${upload_id}`);
      }
      const requested_at = new Date().toISOString();
      await handleCommand(deps.store, transcodeAggregate, upload_id, {
        type: "Retranscode",
        data: { upload_id, requested_at },
      }, commandOptions(c, deps));
      return c.json({ upload_id, video_id: id, status: "requested", requested_at }, 202);
    },
  );
}

const problem409 = { ...problems[409], description: "A transcode of this upload is in progress" };
