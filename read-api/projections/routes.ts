/**
 * Operating the projections: their state and lag, rebuilds (blue/green), resets, and the events
 * parked as poison with their retry. Used by ops/projections.
 */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import * as v from "valibot";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { json } from "../openapi.ts";
import type { ProjectionRuntime } from "../../projections/runtime/runtime.ts";

const tags = ["projections"];
const NameParam = v.object({ name: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]*$/)) });
const DeadLetterParam = v.object({
  ...NameParam.entries,
  id: v.pipe(v.string(), v.regex(/^\d+$/, "must be a whole number"), v.transform(Number)),
});

export function projectionRoutes(runtime: ProjectionRuntime): Hono {
  return new Hono()
    .get(
      "/",
      describeRoute({
        tags,
        summary:
          "Each projection's generations with position, lag (events and seconds behind) and state",
        responses: { 200: json("Projection states") },
      }),
      async (c) => c.json({ projections: await runtime.status() }),
    )
    .post(
      "/:name/rebuild",
      describeRoute({
        tags,
        summary:
          "Build a new generation beside the live one; reads switch to it once it has caught up",
        responses: { 202: json("The generation being built"), 404: json("Unknown projection") },
      }),
      validator("param", NameParam, throwIfInvalid),
      async (c) => c.json({ generation: await runtime.rebuild(c.req.valid("param").name) }, 202),
    )
    .post(
      "/:name/reset",
      describeRoute({
        tags,
        summary: "Drop the read model and rebuild it in place (reads see it fill up)",
        responses: { 202: json("The new live generation"), 404: json("Unknown projection") },
      }),
      validator("param", NameParam, throwIfInvalid),
      async (c) => c.json({ generation: await runtime.reset(c.req.valid("param").name) }, 202),
    )
    .get(
      "/:name/dead-letters",
      describeRoute({
        tags,
        summary: "Events the projection could not apply, with the error",
        responses: { 200: json("Parked events"), 404: json("Unknown projection") },
      }),
      validator("param", NameParam, throwIfInvalid),
      async (c) => c.json({ dead_letters: await runtime.deadLetters(c.req.valid("param").name) }),
    )
    .post(
      "/:name/dead-letters/:id/retry",
      describeRoute({
        tags,
        summary: "Apply a parked event again",
        responses: {
          204: { description: "Applied" },
          404: json("Unknown"),
          409: json("Failed again"),
        },
      }),
      validator("param", DeadLetterParam, throwIfInvalid),
      async (c) => {
        const { name, id } = c.req.valid("param");
        await runtime.retryDeadLetter(name, id);
        return c.body(null, 204);
      },
    );
}
