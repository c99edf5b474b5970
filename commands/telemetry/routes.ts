/** POST /v1/events: playback telemetry in batches (seeds 000 and 001). */
import { Hono } from "hono";
import { describeRoute, resolver } from "hono-openapi";
import * as v from "valibot";
import { PlaybackBatch, PlaybackEvent } from "../../domain/telemetry/playback-event.ts";
import { ingestAnswer, ingestResponses } from "./answer.ts";
import { ingestBatch, type IngestDeps } from "./ingest.ts";
import { ingestContextOf } from "./request-context.ts";

export interface TelemetryRouteDeps extends IngestDeps {
  /** Request header a trusted edge puts the client's country in (e.g. "cf-ipcountry"). */
  countryHeader?: string;
}

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
      responses: ingestResponses("events"),
    }),
    async (c) => {
      const body = await c.req.json();
      const result = await ingestBatch(deps, body, ingestContextOf(c, deps.countryHeader));
      return ingestAnswer(c, result);
    },
  );
}
