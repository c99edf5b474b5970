/**
 * The search port on the embedded index: PostgreSQL full text and pg_trgm over the read-model
 * database (PGlite or a server), kept by projections/search/sql. Reads go to the live views.
 */
import {
  type SearchPort,
  type SearchQuery,
  type SearchResult,
  SearchUnavailableError,
  type Suggestion,
} from "../../../domain/ports/search.ts";
import type { SqlExecutor } from "../../../domain/ports/sql.ts";
import { searchDocuments, suggestDocuments } from "../../../projections/search/sql/queries.ts";
import { sqlErrorOf } from "../../postgres/sql-error.ts";

const UNDEFINED_TABLE = "42P01";

export class EmbeddedSearch implements SearchPort {
  /** `schema` holds the index's views (or a generation's tables, in tests). */
  constructor(private readonly sql: SqlExecutor, private readonly schema = "search") {}

  search(query: SearchQuery): Promise<SearchResult> {
    return this.#guard(() => searchDocuments(this.sql, this.schema, query));
  }

  suggest(q: string, limit: number): Promise<Suggestion[]> {
    return this.#guard(() => suggestDocuments(this.sql, this.schema, q, limit));
  }

  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (sqlErrorOf(error).code === UNDEFINED_TABLE) {
        throw new SearchUnavailableError("the search index is not built yet", 5, { cause: error });
      }
      throw error;
    }
  }
}
