/** Every projection the service runs. */
import { catalogProjection } from "./catalog/projection.ts";
import { mediaProjection } from "./media/projection.ts";
import type { SqlProjection } from "./runtime/projection.ts";
import { embeddedSearch } from "./search/sql/projection.ts";
import { sessionsProjection } from "./sessions/projection.ts";
import { watchHistoryProjection } from "./watch-history/projection.ts";

/** The embedded profile's: the search index is the SQL one (projections/search/sql). */
export const projections: readonly SqlProjection[] = [
  catalogProjection,
  watchHistoryProjection,
  sessionsProjection,
  embeddedSearch,
  mediaProjection,
];

/** The same with another search index instead (the Meilisearch one: projections/search/index). */
export function projectionsWithSearchIndex(searchIndex: SqlProjection): readonly SqlProjection[] {
  return projections.map((projection) => projection === embeddedSearch ? searchIndex : projection);
}
