/**
 * The relevance suite both search adapters must pass over the fixture catalog (fixture.ts): typos,
 * words joined and split, diacritics, typing prefixes, description words, episodes by their show,
 * filters, facets and highlights. Where the embedded adapter cannot do what Meilisearch does, the
 * case says so in `expectedDifference`, with what the embedded adapter gives instead; both halves
 * are asserted, so a difference that disappears (or grows) fails the suite.
 */
import assert from "node:assert/strict";
import type {
  SearchHit,
  SearchPort,
  SearchQuery,
  SearchResult,
} from "../../domain/ports/search.ts";
import { RELEVANCE_CASES } from "./relevance-cases.ts";

export type AdapterName = "embedded" | "meilisearch";

export interface Expectation {
  /** The first hits' titles, in this order. */
  top?: string[];
  /** The first hits' titles, in any order. */
  topAnyOrder?: string[];
  /** Titles somewhere on the first page. */
  includes?: string[];
  /** Titles nowhere on the first page. */
  excludes?: string[];
  total?: number;
  facets?: Partial<SearchResult["facets"]>;
  /** Anything else; returns what is wrong, or undefined. */
  check?: (result: SearchResult) => string | undefined;
}

export interface RelevanceCase {
  name: string;
  /** A search (defaults filled in), or `suggest` for the as-you-type titles. */
  query: Partial<SearchQuery> & { q: string; suggest?: boolean };
  expect: Expectation;
  expectedDifference?: { adapter: AdapterName; note: string; instead: Expectation };
}

export async function runRelevanceSuite(
  t: Deno.TestContext,
  adapter: AdapterName,
  search: SearchPort,
): Promise<void> {
  for (const relevance of RELEVANCE_CASES) {
    await t.step(relevance.name, async () => {
      const result = await run(search, relevance.query);
      const difference = relevance.expectedDifference;
      if (difference?.adapter !== adapter) {
        assert.deepEqual(unmet(relevance.expect, result), [], summary(result));
        return;
      }
      assert.notDeepEqual(
        unmet(relevance.expect, result),
        [],
        `expected difference no longer holds (${difference.note}): drop the note`,
      );
      assert.deepEqual(
        unmet(difference.instead, result),
        [],
        `${difference.note}\n${summary(result)}`,
      );
    });
  }
}

async function run(search: SearchPort, query: RelevanceCase["query"]): Promise<SearchResult> {
  const { suggest, ...rest } = query;
  if (suggest) {
    const suggestions = await search.suggest(query.q, 10);
    return {
      hits: suggestions.map((s) => ({
        ...EMPTY_HIT,
        id: s.id,
        title: s.title,
        content_type: s.content_type,
        show_title: s.show_title,
        highlight: { title: s.highlight },
      })),
      total: suggestions.length,
      facets: { content_type: {}, genre: {}, release_year: {} },
    };
  }
  return await search.search({
    sort: "relevance",
    limit: 20,
    offset: 0,
    include_unpublished: false,
    ...rest,
  });
}

/** What of `expect` the result does not meet, one line each. */
export function unmet(expect: Expectation, result: SearchResult): string[] {
  const titles = result.hits.map((hit) => hit.title);
  const problems: string[] = [];
  const first = (n: number) => titles.slice(0, n);
  if (expect.top && JSON.stringify(first(expect.top.length)) !== JSON.stringify(expect.top)) {
    problems.push(`top should be ${JSON.stringify(expect.top)}`);
  }
  const anyOrder = expect.topAnyOrder;
  if (anyOrder && [...first(anyOrder.length)].sort().join("|") !== [...anyOrder].sort().join("|")) {
    problems.push(`top (any order) should be ${JSON.stringify(anyOrder)}`);
  }
  for (const title of expect.includes ?? []) {
    if (!titles.includes(title)) problems.push(`should include ${title}`);
  }
  for (const title of expect.excludes ?? []) {
    if (titles.includes(title)) problems.push(`should not include ${title}`);
  }
  if (expect.total !== undefined && result.total !== expect.total) {
    problems.push(`total should be ${expect.total}`);
  }
  for (const [facet, counts] of Object.entries(expect.facets ?? {})) {
    const actual = result.facets[facet as keyof SearchResult["facets"]];
    if (JSON.stringify(sorted(actual)) !== JSON.stringify(sorted(counts))) {
      problems.push(`facet ${facet} should be ${JSON.stringify(counts)}`);
    }
  }
  const other = expect.check?.(result);
  if (other) problems.push(other);
  return problems;
}

const EMPTY_HIT: SearchHit = {
  id: "",
  content_type: "",
  title: "",
  description: null,
  genre: null,
  tags: [],
  release_year: null,
  rating: null,
  duration_sec: null,
  show_id: null,
  show_title: null,
  season_number: null,
  episode_number: null,
  availability: "published",
  highlight: { title: "" },
};

const sorted = (counts: Record<string, number>) => Object.entries(counts).sort();

function summary(result: SearchResult): string {
  const hits = result.hits.slice(0, 8).map((hit) =>
    hit.show_title ? `${hit.title} (${hit.show_title})` : hit.title
  );
  return `got ${result.total}: ${hits.join(", ")}; facets ${JSON.stringify(result.facets)}`;
}
