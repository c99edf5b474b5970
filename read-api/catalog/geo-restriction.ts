/**
 * Geo restriction check for playback routes (GET /v1/videos/{id}/playback and the like): refuses
 * with 451 when the video's restriction (catalog read model) excludes the caller's country, taken
 * from the header a trusted edge sets. Without a configured header there is no country to check:
 * the middleware then lets everything through, as the service cannot know where callers are.
 *
 *   app.get("/:id/playback", geoRestricted({ sql, countryHeader }), playbackHandler)
 */
import type { MiddlewareHandler } from "hono";
import {
  type GeoRestriction,
  playableIn,
  UnavailableInRegionError,
} from "../../domain/catalog/geo.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { findGeoRestriction } from "../../projections/catalog/queries.ts";

export function geoRestricted(
  { sql, countryHeader, idParam = "id" }: {
    sql: SqlExecutor;
    countryHeader?: string;
    /** The path parameter naming the video. */
    idParam?: string;
  },
): MiddlewareHandler {
  return async function geoRestricted(c, next) {
    const id = c.req.param(idParam);
    if (countryHeader && id) {
      const row = await findGeoRestriction(sql, id).catch(() => undefined);
      const country = c.req.header(countryHeader)?.trim().toUpperCase();
      if (row && !playableIn(row.geo_restriction as GeoRestriction | null, country)) {
        throw new UnavailableInRegionError(
          country
            ? `this video is not available in your country (${country})`
            : "this video is available in some countries only, and yours is not known",
        );
      }
    }
    await next();
  };
}
