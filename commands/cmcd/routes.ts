/**
 * POST /v1/cmcd: CMCD reports as players send them, taken like POST /v1/events (same validation,
 * repeat filter, durable append and answer). The body is an event-mode report
 * (`application/cmcd`: one CMCD payload per line, CTA-5004-B), or CMCD as JSON (`application/json`:
 * one object or an array of them, keys as in CMCD); a body-less POST may carry its CMCD in the
 * query argument or the CMCD-* headers, as on a segment request.
 */
import { type Context, Hono } from "hono";
import { describeRoute } from "hono-openapi";
import {
  type CmcdData,
  type CmcdDecoder,
  type CmcdLine,
  CmcdSyntaxError,
} from "../../domain/ports/cmcd-decoder.ts";
import { ValidationError } from "../../domain/shared/errors.ts";
import { ingestAnswer, ingestResponses } from "../telemetry/answer.ts";
import type { IngestDeps } from "../telemetry/ingest.ts";
import { ingestContextOf } from "../telemetry/request-context.ts";
import { ingestCmcd } from "./ingest-cmcd.ts";

export interface CmcdRouteDeps extends IngestDeps {
  decoder: CmcdDecoder;
  countryHeader?: string;
}

/** Body types this route takes besides JSON (for the shell's content-type check). */
export const CMCD_BODY_TYPES = /^(application\/cmcd|text\/plain)\s*(;|$)/i;

export function cmcdRoutes(deps: CmcdRouteDeps): Hono {
  return new Hono().post(
    "/",
    describeRoute({
      tags: ["telemetry"],
      summary: "Send CMCD reports (event mode, JSON, or query/headers); taken as playback events",
      description: "Each CMCD payload becomes one playback event (sid → session_id, cid → " +
        "content_id, sn → seq, ts → timestamp, pt → position_sec, br → bitrate_kbps, bl → " +
        "buffer_health_sec, e/sta → type; every key also kept in `cmcd`; see " +
        "docs/decisions/0013) and is validated, de-duplicated and stored like POST /v1/events. " +
        "Errors name the line (`lines.N`).",
      requestBody: {
        content: {
          "application/cmcd": { schema: { type: "string" } },
          "application/json": { schema: { type: "object" } },
        },
      },
      responses: ingestResponses("lines"),
    }),
    async (c) => {
      const lines = await linesOf(c, deps.decoder);
      const context = ingestContextOf(c, deps.countryHeader);
      const result = await ingestCmcd(deps, lines, { scope: "report" }, context);
      return ingestAnswer(c, result, "lines");
    },
  );
}

async function linesOf(c: Context, decoder: CmcdDecoder): Promise<CmcdLine[]> {
  const text = await c.req.text();
  if (text.trim() === "") {
    const data = requestCmcd(decoder, c);
    if (data) return [{ data }];
    throw new ValidationError([], "send CMCD: a body, the CMCD query argument or CMCD-* headers");
  }
  if (!/json/i.test(c.req.header("content-type") ?? "")) return decoder.fromLines(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ValidationError([], "the body is not valid JSON");
  }
  return (Array.isArray(parsed) ? parsed : [parsed]).map((item) =>
    typeof item === "object" && item !== null && !Array.isArray(item)
      ? { data: item }
      : { error: "a CMCD entry must be an object of CMCD keys" }
  );
}

function requestCmcd(decoder: CmcdDecoder, c: Context): CmcdData | undefined {
  try {
    return decoder.fromRequest(c.req.url, c.req.raw.headers);
  } catch (error) {
    if (!(error instanceof CmcdSyntaxError)) throw error;
    throw new ValidationError([{ path: "CMCD", message: error.message }], "unreadable CMCD");
  }
}
