/** The settings of each generation's Meilisearch index, and how documents are stored in it. */
import type { Settings } from "meilisearch";
import type { SearchDocument } from "../../../domain/ports/search.ts";
import { normalize } from "../../../projections/search/text.ts";

export const INDEX_SETTINGS: Settings = {
  // In order of weight: the attribute ranking rule prefers earlier ones.
  searchableAttributes: ["title", "show_title", "genre", "tags", "description"],
  filterableAttributes: ["id", "show_id", "availability", "content_type", "genre", "release_year"],
  sortableAttributes: ["created_at", "release_year", "title_sort"],
  rankingRules: ["words", "typo", "proximity", "attribute", "sort", "exactness"],
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    // Years are not misspelled: "2012" must not find "2021".
    disableOnNumbers: true,
  },
  synonyms: {
    "spiderman": ["spider-man", "spider man"],
    "spider-man": ["spiderman"],
    "spider man": ["spiderman"],
    "sci-fi": ["science fiction", "scifi"],
    "scifi": ["sci-fi", "science fiction"],
    "science fiction": ["sci-fi", "scifi"],
  },
  pagination: { maxTotalHits: 1000 },
  faceting: {
    maxValuesPerFacet: 200,
    // In alphabetical order Meilisearch counts a facet document by document when a query has at
    // most 3,000 matches: the search benchmark's filtered query spent most of its time there. In
    // count order it walks the facet's value levels whatever the matches. Years stay alphabetical:
    // walking their levels slowed broad queries (docs/benchmarks.md, Search). The counts are the
    // same either way; only the order of genre and type values changes (most frequent first).
    sortFacetValuesBy: { "*": "count", release_year: "alpha" },
  },
};

/** What Meilisearch stores: the document plus a normalised title to sort by. */
export type StoredDocument = SearchDocument & { title_sort: string };

export function toStored(document: SearchDocument): StoredDocument {
  return { ...document, title_sort: normalize(document.title) };
}

export function fromStored({ title_sort: _sort, ...document }: StoredDocument): SearchDocument {
  return document;
}
