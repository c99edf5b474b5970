/**
 * The search port on Meilisearch: reads go to the index of the search-index projection's live
 * generation (looked up in projection_generations and cached briefly, so a rebuild's switch reaches
 * readers within a second).
 */
import type { Meilisearch, SearchParams } from "meilisearch";
import {
  SEARCH_HIT_FIELDS,
  type SearchFacets,
  type SearchHit,
  type SearchPort,
  type SearchQuery,
  type SearchResult,
  type SearchSort,
  SearchUnavailableError,
  type Suggestion,
} from "../../../domain/ports/search.ts";
import type { SqlExecutor } from "../../../domain/ports/sql.ts";
import { generationSchema } from "../../../projections/runtime/projection.ts";
import type { MeilisearchDocumentStore } from "./document-store.ts";
import { meiliCall } from "./errors.ts";
import { marked, markup, searchFilter } from "./query.ts";
import type { StoredDocument } from "./settings.ts";

const SORTS: Record<SearchSort, string[]> = {
  relevance: [],
  newest: ["created_at:desc"],
  title: ["title_sort:asc"],
  year: ["release_year:asc"],
  "-year": ["release_year:desc"],
};
const HIT_FIELDS: string[] = [...SEARCH_HIT_FIELDS];

export interface MeilisearchSearchOptions {
  client: Meilisearch;
  store: MeilisearchDocumentStore;
  /** Where projection_generations is. */
  sql: SqlExecutor;
  /** The search-index projection's name. */
  projection: string;
  liveCacheMs?: number;
  /** Told Meilisearch's own time (processingTimeMs) of each search, to set against the caller's. */
  onServerTime?: (milliseconds: number) => void;
}

export class MeilisearchSearch implements SearchPort {
  #live?: { index: string; until: number };

  constructor(private readonly options: MeilisearchSearchOptions) {}

  async search(query: SearchQuery): Promise<SearchResult> {
    const sort = query.q.trim() === "" && query.sort === "relevance" ? "newest" : query.sort;
    const params = {
      filter: searchFilter(query),
      facets: ["content_type", "genre", "release_year"],
      sort: SORTS[sort],
      limit: query.limit,
      offset: query.offset,
      attributesToRetrieve: HIT_FIELDS,
      ...marked(["title", "show_title", "description"]),
      attributesToCrop: ["description"],
      cropLength: 30,
      cropMarker: "…",
    } satisfies SearchParams;
    const index = await this.#index();
    const response = await meiliCall("search", () => index.search(query.q, params));
    this.options.onServerTime?.(response.processingTimeMs);
    return {
      hits: response.hits.map(hitOf),
      total: response.estimatedTotalHits ?? response.hits.length,
      facets: facetsOf(response.facetDistribution),
    };
  }

  async suggest(q: string, limit: number): Promise<Suggestion[]> {
    const index = await this.#index();
    const response = await meiliCall("search", () =>
      index.search(q, {
        filter: 'availability = "published"',
        limit,
        attributesToRetrieve: ["id", "title", "content_type", "show_title"],
        ...marked(["title"]),
      }));
    return response.hits.map((hit) => ({
      id: hit.id,
      title: hit.title,
      content_type: hit.content_type,
      show_title: hit.show_title ?? null,
      highlight: markup(hit._formatted?.title ?? hit.title),
    }));
  }

  async #index() {
    const now = Date.now();
    if (!this.#live || this.#live.until < now) {
      const { sql, projection, store, liveCacheMs = 1000 } = this.options;
      const [live] = await sql.query<{ generation: number }>(
        "SELECT generation FROM projection_generations WHERE projection = $1 AND status = 'live'",
        [projection],
      );
      if (!live) throw new SearchUnavailableError("the search index is not built yet");
      const index = store.indexName(generationSchema(projection, live.generation));
      this.#live = { index, until: now + liveCacheMs };
    }
    return this.options.client.index<StoredDocument>(this.#live.index);
  }
}

type Hit = Partial<StoredDocument> & {
  _formatted?: Partial<Record<keyof StoredDocument, unknown>>;
};

function hitOf(hit: Hit): SearchHit {
  const formatted = hit._formatted ?? {};
  const text = (field: "title" | "show_title" | "description") =>
    typeof formatted[field] === "string" ? markup(formatted[field]) : undefined;
  const document = Object.fromEntries(
    HIT_FIELDS.map((field) => [field, hit[field as keyof Hit] ?? null]),
  );
  return {
    ...(document as Omit<SearchHit, "highlight">),
    tags: hit.tags ?? [],
    highlight: {
      title: text("title") ?? markup(hit.title ?? ""),
      ...(hit.show_title ? { show_title: text("show_title") } : {}),
      ...(hit.description ? { description: text("description") } : {}),
    },
  };
}

function facetsOf(distribution: Record<string, Record<string, number>> | undefined): SearchFacets {
  return {
    content_type: distribution?.content_type ?? {},
    genre: distribution?.genre ?? {},
    release_year: distribution?.release_year ?? {},
  };
}
