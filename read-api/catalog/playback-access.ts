/**
 * Who may have a video's signed playback URLs (GET /v1/videos/{id}/playback): unpublished items
 * only editors and admins (404 for others, as in the catalog reads), and a geo-restricted item only
 * callers in a country its restriction allows (451), the country taken from the header a trusted
 * edge sets. Without a configured header there is no country to check: the geo rule then lets
 * everything through, as the service cannot know where callers are.
 *
 *   app.get("/:id/playback", playbackAccess({ sql, countryHeader }), playbackHandler)
 */
import type { MiddlewareHandler } from "hono";
import * as v from "valibot";
import { Id } from "../../domain/catalog/values.ts";
import {
  type GeoRestriction,
  playableIn,
  UnavailableInRegionError,
} from "../../domain/catalog/geo.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { findPlaybackFacts } from "../../projections/catalog/queries.ts";
import { mayActAs } from "../../commands/identity.ts";
import { NotFoundError } from "../../domain/shared/errors.ts";

export function playbackAccess(
  { sql, countryHeader, idParam = "id" }: {
    sql: SqlExecutor;
    countryHeader?: string;
    /** The path parameter naming the video. */
    idParam?: string;
  },
): MiddlewareHandler {
  return async function playbackAccess(c, next) {
    const id = c.req.param(idParam);
    // A malformed id is the route's own 400 to answer.
    const row = v.is(Id, id) ? await findPlaybackFacts(sql, id) : undefined;
    if (row && row.status !== "published" && !mayActAs(c, "editor")) {
      throw new NotFoundError(`video ${id} is not published`);
    }
    const country = countryHeader ? c.req.header(countryHeader)?.trim().toUpperCase() : undefined;
    if (
      row && countryHeader && !playableIn(row.geo_restriction as GeoRestriction | null, country)
    ) {
      throw new UnavailableInRegionError(
        country
          ? `this video is not available in your country (${country})`
          : "this video is available in some countries only, and yours is not known",
      );
    }
    await next();
  };
}
