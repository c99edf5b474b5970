/**
 * `cmcdTelemetry(options)`: Hono middleware for media segment (and playlist) routes. CMCD on the
 * request (the `CMCD` query argument or the CMCD-* headers) is ingested as a playback event through
 * the one ingest path, beside serving the segment: the media answer never waits for the telemetry
 * log and never fails because of it (an unreadable payload or a log outage is logged and dropped;
 * players do not retry segment CMCD).
 *
 *   app.get("/media/:id/:segment", cmcdTelemetry({ ...deps, contentIdOf: (c) => c.req.param("id") }), serveSegment)
 */
import type { Context, MiddlewareHandler } from "hono";
import type { CmcdDecoder } from "../../domain/ports/cmcd-decoder.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { IngestDeps } from "../telemetry/ingest.ts";
import { ingestContextOf } from "../telemetry/request-context.ts";
import { ingestCmcd } from "./ingest-cmcd.ts";

export interface CmcdTelemetryOptions extends IngestDeps {
  decoder: CmcdDecoder;
  logger: Logger;
  /** The content the route serves, for players that send no `cid` (e.g. a path parameter). */
  contentIdOf?: (c: Context) => string | undefined;
  countryHeader?: string;
}

export function cmcdTelemetry(options: CmcdTelemetryOptions): MiddlewareHandler {
  const { decoder, logger } = options;
  return async function cmcdTelemetry(c, next) {
    let ingesting: Promise<unknown> | undefined;
    try {
      const data = decoder.fromRequest(c.req.url, c.req.raw.headers);
      if (data) {
        const source = { scope: c.req.path, contentId: options.contentIdOf?.(c) };
        const context = ingestContextOf(c, options.countryHeader);
        ingesting = ingestCmcd(options, [{ data }], source, context);
      }
    } catch (error) {
      logger.debug("segment CMCD not readable", { path: c.req.path, error });
    }
    ingesting?.then(
      (result) => logger.debug("segment CMCD ingested", { path: c.req.path, result }),
      (error) => logger.warn("segment CMCD not ingested", { path: c.req.path, error }),
    );
    await next();
  };
}
