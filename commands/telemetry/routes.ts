/** POST /v1/events: playback telemetry in batches (seeds 000 and 001). */
import { Hono } from "hono";
import { describeRoute, resolver } from "hono-openapi";
import * as v from "valibot";
import { ValidationError } from "../../domain/shared/errors.ts";
import { PlaybackBatch, PlaybackEvent } from "../../domain/telemetry/playback-event.ts";
import { ingestBatch, type IngestDeps } from "./ingest.ts";
import { optionalIdentityOf } from "../identity.ts";

export interface TelemetryRouteDeps extends IngestDeps {
  /** Request header a trusted edge puts the client's country in (e.g. "cf-ipcountry"). */
  countryHeader?: string;
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

export function telemetryRoutes(deps: TelemetryRouteDeps): Hono {
  return new Hono().post(
    "/",
    describeRoute({
      tags: ["telemetry"],
      summary: "Send playback events; valid ones are accepted once the log has stored them",
      description:
        `A batch \`{ sent_at, events: [...] }\` of at most ${deps.maxEvents} events, each ` +
        "validated on its own. Repeats (same event_id, or same session_id and seq) are counted " +
        "as duplicates and stored once.",
      requestBody: {
        content: {
          "application/json": {
            schema: resolver(
              v.object({ ...PlaybackBatch.entries, events: v.array(PlaybackEvent) }),
            ),
          },
        },
      },
      responses: {
        202: {
          description: "Accepted",
          content: { "application/json": { schema: resolver(IngestAnswer) } },
        },
        400: { description: "No valid event, or a malformed batch" },
        413: { description: "Too many events or too large a body" },
        503: { description: "The telemetry log cannot take events now; retry after Retry-After" },
      },
    }),
    async (c) => {
      const access = optionalIdentityOf(c);
      const result = await ingestBatch(deps, await c.req.json(), {
        receivedAt: Date.now(),
        userAgent: c.req.header("user-agent"),
        country: deps.countryHeader ? countryCode(c.req.header(deps.countryHeader)) : undefined,
        userId: access?.userId,
        profileId: access?.profileId,
      });
      if (result.accepted === 0) {
        throw new ValidationError(
          result.rejected.flatMap(({ index, errors }) =>
            errors.map((e) => ({
              path: `events.${index}${e.path ? `.${e.path}` : ""}`,
              message: e.message,
            }))
          ),
          "no event in the batch is valid",
        );
      }
      return c.json({ ...result, rejected: result.rejected.length, errors: result.rejected }, 202);
    },
  );
}

function countryCode(value: string | undefined): string | undefined {
  const code = value?.trim().toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) ? code : undefined;
}
