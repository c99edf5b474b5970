/**
 * Search over the embedded index (the views in schema `search`): full-text match of the typed
 * words (the last one a prefix, adjacent words also joined) or a trigram match of the whole query
 * against the titles (typos), ranked by weighted text rank plus title similarity; facet counts
 * over every match; highlights made in highlight.ts.
 */
import type {
  SearchFacets,
  SearchHit,
  SearchQuery,
  SearchResult,
  SearchSort,
  Suggestion,
} from "../../../domain/ports/search.ts";
import type { SqlExecutor } from "../../../domain/ports/sql.ts";
import { cropAndHighlight, highlight } from "../highlight.ts";
import { TITLE_ORDER } from "../../title-order.ts";
import { normalize, prefixTsQuery } from "../text.ts";

// Weights of D (description), C (genre, tags), B (show title), A (title) in ts_rank; then how
// close the titles are to what was typed, in part (typos) and as a whole (the exact title first).
const QUERY = "to_tsquery('simple', $1)";
const RANK = `ts_rank('{0.05, 0.2, 0.5, 1.0}', words, ${QUERY}) + word_similarity($2, names)
  + similarity($2, names)`;

const ORDER: Record<SearchSort, string> = {
  relevance: "score DESC, created_at DESC, id",
  newest: "created_at DESC, id",
  title: `${TITLE_ORDER}, id`,
  year: `release_year NULLS LAST, ${TITLE_ORDER}, id`,
  "-year": `release_year DESC NULLS LAST, ${TITLE_ORDER}, id`,
};

type Row = Omit<SearchHit, "highlight"> & { total: number };

export async function searchDocuments(
  sql: SqlExecutor,
  schema: string,
  query: SearchQuery,
): Promise<SearchResult> {
  const matches = matching(schema, query);
  const sort = query.q.trim() === "" && query.sort === "relevance" ? "newest" : query.sort;
  const [rows, facetRows] = await Promise.all([
    sql.query<Row>(
      `${matches.cte}
       SELECT id::text, content_type, title, description, genre, tags, release_year, rating,
         duration_sec, show_id::text, show_title, season_number, episode_number, availability,
         count(*) OVER ()::int AS total
       FROM matches ORDER BY ${ORDER[sort]} LIMIT ${query.limit} OFFSET ${query.offset}`,
      matches.params,
    ),
    sql.query<{ facet: string; value: string; count: number }>(
      `${matches.cte}
       SELECT 'content_type' AS facet, content_type AS value, count(*)::int AS count
         FROM matches GROUP BY content_type
       UNION ALL SELECT 'genre', genre, count(*)::int FROM matches
         WHERE genre IS NOT NULL GROUP BY genre
       UNION ALL SELECT 'release_year', release_year::text, count(*)::int FROM matches
         WHERE release_year IS NOT NULL GROUP BY release_year`,
      matches.params,
    ),
  ]);
  const total = rows[0]?.total ?? (query.offset > 0 ? await countOf(sql, matches) : 0);
  return {
    hits: rows.map(({ total: _total, ...row }) => withHighlight(row, query.q)),
    total,
    facets: facetsOf(facetRows),
  };
}

/** Titles for as-you-type: the typed words as prefixes or a near title, best first. */
export async function suggestDocuments(
  sql: SqlExecutor,
  schema: string,
  q: string,
  limit: number,
): Promise<Suggestion[]> {
  const matches = matching(schema, {
    q,
    sort: "relevance",
    limit,
    offset: 0,
    include_unpublished: false,
  });
  const rows = await sql.query<Omit<Suggestion, "highlight">>(
    `${matches.cte}
     SELECT id::text, title, content_type, show_title FROM matches
     ORDER BY ${ORDER.relevance} LIMIT ${limit}`,
    matches.params,
  );
  return rows.map((row) => ({ ...row, highlight: highlight(row.title, q) }));
}

interface Matches {
  cte: string;
  params: unknown[];
}

function matching(schema: string, query: SearchQuery): Matches {
  const tsQuery = prefixTsQuery(query.q);
  const params: unknown[] = tsQuery ? [tsQuery, normalize(query.q.trim())] : [];
  const conditions = [
    query.include_unpublished ? "availability <> 'deleted'" : "availability = 'published'",
  ];
  const where = (condition: string, value: unknown) => {
    params.push(value);
    conditions.push(condition.replaceAll("?", `$${params.length}`));
  };
  if (query.type) where("content_type = ?", query.type);
  if (query.genre) where("lower(genre) = lower(?)", query.genre);
  if (query.year_from !== undefined) where("release_year >= ?", query.year_from);
  if (query.year_to !== undefined) where("release_year <= ?", query.year_to);
  if (!tsQuery) {
    return {
      cte: `WITH matches AS (
        SELECT d.*, 0 AS score FROM ${schema}.documents d WHERE ${conditions.join(" AND ")})`,
      params,
    };
  }
  // The candidates first, each arm by its own index ("$2 <% names": the query is like some part of
  // a title); materialized, so that the planner (without statistics on a fresh generation) never
  // rescans them per row nor computes trigram similarity for every row.
  return {
    cte: `WITH candidates AS MATERIALIZED (
        SELECT id FROM ${schema}.documents WHERE words @@ ${QUERY}
        UNION SELECT id FROM ${schema}.documents WHERE $2 <% names
      ), matches AS (
        SELECT d.*, ${RANK} AS score
        FROM candidates JOIN ${schema}.documents d USING (id)
        WHERE ${conditions.join(" AND ")}
      )`,
    params,
  };
}

async function countOf(sql: SqlExecutor, matches: Matches): Promise<number> {
  const [row] = await sql.query<{ total: number }>(
    `${matches.cte} SELECT count(*)::int AS total FROM matches`,
    matches.params,
  );
  return row?.total ?? 0;
}

function withHighlight(row: Omit<SearchHit, "highlight">, q: string): SearchHit {
  return {
    ...row,
    highlight: {
      title: highlight(row.title, q),
      ...(row.show_title ? { show_title: highlight(row.show_title, q) } : {}),
      ...(row.description ? { description: cropAndHighlight(row.description, q) } : {}),
    },
  };
}

function facetsOf(rows: readonly { facet: string; value: string; count: number }[]): SearchFacets {
  const facets: SearchFacets = { content_type: {}, genre: {}, release_year: {} };
  for (const { facet, value, count } of rows) {
    facets[facet as keyof SearchFacets][value] = count;
  }
  return facets;
}
