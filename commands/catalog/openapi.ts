/** OpenAPI response descriptions shared by the catalog routes. */
import type { GenericSchema } from "valibot";
import { resolver } from "hono-openapi";
import { Problem } from "./schemas.ts";

export function jsonResponse(description: string, schema: GenericSchema) {
  return { description, content: { "application/json": { schema: resolver(schema) } } };
}

export const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: resolver(Problem) } },
});

export const problems = {
  400: problem("The input is not valid; `errors` names each field"),
  404: problem("No such item"),
  409: problem("The item's state does not allow this, or it changed meanwhile"),
  413: problem("The body is too large"),
  415: problem("The body is not JSON"),
};
