/** Pieces the read routes share: OpenAPI answer descriptions and query-parameter schemas. */
import { resolver } from "hono-openapi";
import * as v from "valibot";

/** A JSON answer in the OpenAPI document. */
export const json = (description: string) => ({
  description,
  content: { "application/json": { schema: resolver(v.object({})) } },
});

/** A whole-number query parameter (query values arrive as text). */
export const wholeNumberParam = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, "must be a whole number"),
    v.transform(Number),
    v.minValue(min),
    v.maxValue(max),
  );
