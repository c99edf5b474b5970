/**
 * PUT /v1/videos/{id}/geo-restriction: where a video may be played (seed 004's geo-blocking).
 * `{ "geo_restriction": { "mode": "allow", "countries": ["BR", "PT"] } }`, or null to lift it.
 * Playback routes check it with read-api/catalog/geo-restriction.ts.
 */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import * as v from "valibot";
import { GeoRestriction } from "../../domain/catalog/geo.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { handleCommand } from "../handle-command.ts";
import { type CommandDeps, commandOptions, etag, ifMatchVersion } from "../http-context.ts";
import { videos } from "./aggregates.ts";
import { jsonResponse, problems } from "./openapi.ts";
import { videoResource } from "./representations.ts";
import { IdParam, VideoResponse } from "./schemas.ts";

const GeoBody = v.strictObject({ geo_restriction: v.nullable(GeoRestriction) });

export function geoRestrictionRoutes(deps: CommandDeps): Hono {
  return new Hono().put(
    "/:id/geo-restriction",
    describeRoute({
      tags: ["catalog"],
      summary: "Restrict where a video plays: only in (allow) or not in (block) these countries",
      responses: {
        200: jsonResponse("The video", VideoResponse),
        400: problems[400],
        404: problems[404],
        409: problems[409],
      },
    }),
    validator("param", IdParam, throwIfInvalid),
    validator("json", GeoBody, throwIfInvalid),
    async (c) => {
      const { id } = c.req.valid("param");
      const { state, version } = await handleCommand(deps.store, videos, id, {
        type: "RestrictVideoGeo",
        data: { video_id: id, geo_restriction: c.req.valid("json").geo_restriction },
      }, { ...commandOptions(c, deps), expectedVersion: ifMatchVersion(c) });
      c.header("etag", etag(version));
      return c.json(videoResource(state, version, id));
    },
  );
}
