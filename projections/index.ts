/** Every projection the service runs. */
import { catalogProjection } from "./catalog/projection.ts";
import type { SqlProjection } from "./runtime/projection.ts";
import { embeddedSearch } from "./search/sql/projection.ts";
import { sessionsProjection } from "./sessions/projection.ts";
import type { AccumulateOptions } from "./qoe/accumulate.ts";
import { QOE_PROJECTION, qoeProjection } from "./qoe/projection.ts";
import { watchHistoryProjection } from "./watch-history/projection.ts";

/** The embedded profile's: the search index is the SQL one (projections/search/sql). */
export const projections: readonly SqlProjection[] = [
  catalogProjection,
  watchHistoryProjection,
  sessionsProjection,
  embeddedSearch,
];

/** The same with another search index instead (the Meilisearch one: projections/search/index). */
export function projectionsWithSearchIndex(searchIndex: SqlProjection): readonly SqlProjection[] {
  return projections.map((projection) => projection === embeddedSearch ? searchIndex : projection);
}

/** The same with the QoE projection, which needs a quantile-sketch adapter and its allowed lateness. */
export function projectionsWithQoe(
  base: readonly SqlProjection[],
  options: AccumulateOptions,
): readonly SqlProjection[] {
  return [
    ...base.filter((projection) => projection.name !== QOE_PROJECTION),
    qoeProjection(options),
  ];
}
