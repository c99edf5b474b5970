/** Meilisearch request parts: the filter of a search query and HTML-safe highlight tags. */
import type { SearchQuery } from "../../../domain/ports/search.ts";
import { escapeHtml } from "../../../projections/search/highlight.ts";
import { quote } from "./document-store.ts";

export function searchFilter(query: SearchQuery): string[] {
  const filter = [
    query.include_unpublished ? 'availability != "deleted"' : 'availability = "published"',
  ];
  if (query.type) filter.push(`content_type = ${quote(query.type)}`);
  if (query.genre) filter.push(`genre = ${quote(query.genre)}`);
  if (query.year_from !== undefined) filter.push(`release_year >= ${query.year_from}`);
  if (query.year_to !== undefined) filter.push(`release_year <= ${query.year_to}`);
  return filter;
}

// Control characters as tags, so the text can be escaped before they become <mark> elements.
const PRE = "\u0002";
const POST = "\u0003";

/** Highlighting of `attributes`, to be turned into markup by `markup`. */
export function marked(attributes: string[]) {
  return { attributesToHighlight: attributes, highlightPreTag: PRE, highlightPostTag: POST };
}

/** A highlighted value as HTML-safe text with <mark>…</mark>, as the embedded search gives it. */
export function markup(formatted: string): string {
  return escapeHtml(formatted).replaceAll(PRE, "<mark>").replaceAll(POST, "</mark>");
}
