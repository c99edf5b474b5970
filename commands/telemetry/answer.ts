/** The 202 answer of an ingest (POST /v1/events, POST /v1/cmcd), or 400 when nothing was valid. */
import type { Context } from "hono";
import { resolver } from "hono-openapi";
import * as v from "valibot";
import { ValidationError } from "../../domain/shared/errors.ts";
import type { IngestResult } from "./ingest.ts";

/** `items`: what the request's entries are called in error paths ("events", "lines"). */
export function ingestAnswer(c: Context, result: IngestResult, items = "events"): Response {
  if (result.accepted === 0) {
    throw new ValidationError(
      result.rejected.flatMap(({ index, errors }) =>
        errors.map((e) => ({
          path: `${items}.${index}${e.path ? `.${e.path}` : ""}`,
          message: e.message,
        }))
      ),
      `no ${items === "events" ? "event" : "entry"} in the batch is valid`,
    );
  }
  return c.json({ ...result, rejected: result.rejected.length, errors: result.rejected }, 202);
}

/** The answers of an ingest route, for the OpenAPI document; `items`: "events", "lines". */
export function ingestResponses(items: string) {
  return {
    202: {
      description: "Accepted",
      content: { "application/json": { schema: resolver(IngestAnswer) } },
    },
    400: { description: `No valid entry among the ${items}, or a malformed request` },
    413: { description: `Too many ${items} or too large a body` },
    503: { description: "The telemetry log cannot take events now; retry after Retry-After" },
  };
}

const IngestAnswer = v.object({
  accepted: v.number(),
  duplicates: v.number(),
  rejected: v.number(),
  errors: v.array(v.object({
    index: v.number(),
    event_id: v.optional(v.string()),
    errors: v.array(v.object({ path: v.string(), message: v.string() })),
  })),
});
