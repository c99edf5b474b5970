/** OpenAPI descriptions shared by the watch history routes. */
import { resolver } from "hono-openapi";
import * as v from "valibot";

export const tags = ["watch history"];

export const json = (description: string) => ({
  description,
  content: { "application/json": { schema: resolver(v.object({})) } },
});

/** The answers every per-viewer route may give besides its own. */
export const viewerProblems = { 400: json("A bad parameter"), 401: json("No X-User-Id") };
