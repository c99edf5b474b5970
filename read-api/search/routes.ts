/**
 * Search over the catalog, answered through the search port (Meilisearch or the embedded index):
 * GET /v1/search with filters, facet counts and highlights; GET /v1/search/suggest for titles as
 * you type. A search outage is a SearchUnavailableError, answered 503 on these routes only.
 */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import * as v from "valibot";
import { CONTENT_TYPES } from "../../domain/catalog/values.ts";
import { SEARCH_SORTS, type SearchPort } from "../../domain/ports/search.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { json, wholeNumberParam } from "../openapi.ts";

const tags = ["search"];
const Q = v.pipe(v.string(), v.maxLength(200, "q is at most 200 characters"));

export const SearchQuery = v.pipe(
  v.strictObject({
    q: v.optional(Q, ""),
    type: v.optional(v.picklist(CONTENT_TYPES)),
    genre: v.optional(v.pipe(v.string(), v.maxLength(60))),
    year_from: v.optional(wholeNumberParam(1870, 2100)),
    year_to: v.optional(wholeNumberParam(1870, 2100)),
    sort: v.optional(v.picklist(SEARCH_SORTS), "relevance"),
    limit: v.optional(wholeNumberParam(1, 100), "20"),
    // Meilisearch counts at most 1000 hits; the embedded index is held to the same window.
    offset: v.optional(wholeNumberParam(0, 999), "0"),
    include_unpublished: v.optional(
      v.pipe(v.picklist(["true", "false"]), v.transform((flag) => flag === "true")),
      "false",
    ),
  }),
  v.check(
    (query) =>
      query.year_from === undefined || query.year_to === undefined ||
      query.year_from <= query.year_to,
    "year_from must not be after year_to",
  ),
);

const SuggestQuery = v.strictObject({
  q: v.pipe(Q, v.trim(), v.nonEmpty("q must not be empty")),
  limit: v.optional(wholeNumberParam(1, 20), "8"),
});

export function searchRoutes(search: SearchPort): Hono {
  return new Hono()
    .get(
      "/",
      describeRoute({
        tags,
        summary: "Search playable items: typos, prefixes and diacritics forgiven; facets counted",
        responses: {
          200: json("Hits with highlights, the total, and facet counts over every match"),
          400: json("Bad query"),
          503: json("Search is unavailable; the rest of the API is not affected"),
        },
      }),
      validator("query", SearchQuery, throwIfInvalid),
      async (c) => {
        const query = c.req.valid("query");
        const result = await search.search(query);
        return c.json({ query: query.q, ...result, limit: query.limit, offset: query.offset });
      },
    )
    .get(
      "/suggest",
      describeRoute({
        tags,
        summary: "Titles for what is being typed (the last word as a prefix)",
        responses: {
          200: json("Suggestions, best first"),
          400: json("Bad query"),
          503: json("Search is unavailable"),
        },
      }),
      validator("query", SuggestQuery, throwIfInvalid),
      async (c) => {
        const { q, limit } = c.req.valid("query");
        return c.json({ query: q, suggestions: await search.suggest(q, limit) });
      },
    );
}
