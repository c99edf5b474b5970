/**
 * The search port: full-text search over the playable catalog with filters, facet counts and
 * highlighted matches, and as-you-type suggestions. Kept by the embedded adapter (PostgreSQL full
 * text on the read-model database) or by Meilisearch; the read API only knows this port.
 */
import type { ContentType } from "../catalog/values.ts";
import { BackingServiceUnavailableError } from "./unavailable.ts";

import type { CatalogStatus } from "../catalog/status.ts";

export const SEARCH_SORTS = ["relevance", "newest", "title", "year", "-year"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export interface SearchQuery {
  /** Words as typed; the last one counts as a prefix. Empty lists everything that matches the filters. */
  q: string;
  type?: ContentType;
  genre?: string;
  year_from?: number;
  year_to?: number;
  sort: SearchSort;
  limit: number;
  offset: number;
  /** Also unpublished items (never deleted ones); for editors. */
  include_unpublished: boolean;
}

/** Whether an item can be played: published, and its show (if any) published too. */
export type Availability = CatalogStatus;

/** One indexed catalog item, as both adapters store it (snake_case: it is a document). */
export interface SearchDocument {
  id: string;
  content_type: string;
  title: string;
  description: string | null;
  genre: string | null;
  tags: string[];
  release_year: number | null;
  rating: string | null;
  duration_sec: number | null;
  show_id: string | null;
  show_title: string | null;
  season_number: number | null;
  episode_number: number | null;
  status: Availability;
  show_status: Availability | null;
  availability: Availability;
  /** Stream version of the video's last applied event: the write guard. */
  version: number;
  /** Stream version of the show's last applied event (episodes only). */
  show_version: number;
  /** Seconds since the epoch, for the "newest" sort. */
  created_at: number;
}

/** Matched words wrapped in <mark>…</mark>; the description is cropped around the matches. */
export interface Highlight {
  title: string;
  show_title?: string;
  description?: string;
}

/** The document fields a hit shows. */
export const SEARCH_HIT_FIELDS = [
  "id",
  "content_type",
  "title",
  "description",
  "genre",
  "tags",
  "release_year",
  "rating",
  "duration_sec",
  "show_id",
  "show_title",
  "season_number",
  "episode_number",
  "availability",
] as const satisfies readonly (keyof SearchDocument)[];

/** Every field of a document: the hit's, then the ones kept for the write guard and sorting. */
export const SEARCH_DOCUMENT_FIELDS = [
  ...SEARCH_HIT_FIELDS,
  "status",
  "show_status",
  "version",
  "show_version",
  "created_at",
] as const satisfies readonly (keyof SearchDocument)[];

export type SearchHit =
  & Pick<SearchDocument, (typeof SEARCH_HIT_FIELDS)[number]>
  & { highlight: Highlight };

export interface SearchFacets {
  content_type: Record<string, number>;
  genre: Record<string, number>;
  release_year: Record<string, number>;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Matches in all (an estimate past the first thousand on Meilisearch). */
  total: number;
  /** Counts over every match, filters applied. */
  facets: SearchFacets;
}

export interface Suggestion {
  id: string;
  title: string;
  content_type: string;
  show_title: string | null;
  /** The title with the typed words marked. */
  highlight: string;
}

export interface SearchPort {
  search(query: SearchQuery): Promise<SearchResult>;
  suggest(q: string, limit: number): Promise<Suggestion[]>;
}

/**
 * The search engine cannot answer now (down, or its index not built yet). Only search fails: the
 * HTTP shell answers 503 with Retry-After, as for any backing service; being `transient`, it makes
 * the projection runtime retry the batch rather than park its events as poison.
 */
export class SearchUnavailableError extends BackingServiceUnavailableError {
  override readonly name: string = "SearchUnavailableError";
  constructor(message: string, retryAfterSec = 5, options?: ErrorOptions) {
    super("search", message, retryAfterSec, options);
  }
}

/**
 * Where a search-index projection keeps its documents when they are not in SQL (Meilisearch): one
 * index per projection generation, named after the generation's schema.
 */
export interface SearchDocumentStore {
  /** Creates the generation's index empty, with its settings (replacing a leftover one). */
  create(generation: string): Promise<void>;
  /** Drops the generation's index; nothing happens if it is gone already. */
  drop(generation: string): Promise<void>;
  /** The stored documents with these ids, and every episode of these shows. */
  load(
    generation: string,
    ids: readonly string[],
    showIds: readonly string[],
  ): Promise<SearchDocument[]>;
  /** Replaces these documents (whole) and waits until they are searchable. */
  save(generation: string, documents: readonly SearchDocument[]): Promise<void>;
}
