/**
 * Geo restriction of a catalog item (seed 004's geo-blocking): playable only in the listed
 * countries ("allow"), or everywhere but them ("block"). Countries are ISO 3166-1 alpha-2 codes
 * as a trusted edge reports them (e.g. Cloudflare's CF-IPCountry).
 */
import * as v from "valibot";

export const CountryCode = v.pipe(
  v.string(),
  v.trim(),
  v.toUpperCase(),
  v.regex(/^[A-Z]{2}$/, "a country is a two-letter ISO 3166-1 code such as BR"),
);

export const GeoRestriction = v.strictObject({
  mode: v.picklist(["allow", "block"], 'mode is "allow" (only these) or "block" (all but these)'),
  countries: v.pipe(
    v.array(CountryCode),
    v.minLength(1, "name at least one country"),
    v.maxLength(250, "at most 250 countries"),
    v.transform((codes) => [...new Set(codes)].sort()),
  ),
});
export type GeoRestriction = v.InferOutput<typeof GeoRestriction>;

/**
 * Whether an item may be played from `country`. An unrestricted item plays everywhere; a
 * restricted one never plays where the country is unknown, so a missing header is not a way in.
 */
export function playableIn(restriction: GeoRestriction | null | undefined, country?: string) {
  if (!restriction) return true;
  if (!country) return false;
  const listed = restriction.countries.includes(country.toUpperCase());
  return restriction.mode === "allow" ? listed : !listed;
}

/** The item cannot be played from the caller's country (HTTP 451). */
export class UnavailableInRegionError extends Error {
  override readonly name = "UnavailableInRegionError";
}
