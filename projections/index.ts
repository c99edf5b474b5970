/** Every projection the service runs. */
import { catalogProjection } from "./catalog/projection.ts";
import type { ViewRule } from "../domain/analytics/view-rule.ts";
import type { LeaderboardStore } from "../domain/ports/leaderboard.ts";
import { mediaProjection } from "./media/projection.ts";
import type { SqlProjection } from "./runtime/projection.ts";
import { embeddedSearch } from "./search/sql/projection.ts";
import { sessionsProjection } from "./sessions/projection.ts";
import type { AccumulateOptions } from "./qoe/accumulate.ts";
import { QOE_PROJECTION, qoeProjection } from "./qoe/projection.ts";
import { alertsProjection } from "./alerts/projection.ts";
import { viewBoardsProjection } from "./views/boards.ts";
import { viewsProjection } from "./views/projection.ts";
import { watchHistoryProjection } from "./watch-history/projection.ts";

/** The embedded profile's: the search index is the SQL one (projections/search/sql). */
export const projections: readonly SqlProjection[] = [
  catalogProjection,
  watchHistoryProjection,
  sessionsProjection,
  embeddedSearch,
  viewsProjection(),
  mediaProjection,
];

/** The same with another search index instead (the Meilisearch one: projections/search/index). */
export function projectionsWithSearchIndex(searchIndex: SqlProjection): readonly SqlProjection[] {
  return projections.map((projection) => projection === embeddedSearch ? searchIndex : projection);
}

/** The same with view counting by `rule`, and the hot leaderboards when there is a store for them. */
export function projectionsWithViews(
  base: readonly SqlProjection[],
  rule: ViewRule,
  hotBoards?: LeaderboardStore,
): readonly SqlProjection[] {
  return [
    ...base.filter((projection) => projection.name !== "views"),
    viewsProjection(rule),
    ...(hotBoards ? [viewBoardsProjection(hotBoards, rule)] : []),
  ];
}

/** The same with QoE (it needs a quantile-sketch adapter and its allowed lateness) and its alerts. */
export function projectionsWithQoe(
  base: readonly SqlProjection[],
  options: AccumulateOptions,
): readonly SqlProjection[] {
  return [
    ...base.filter((projection) => projection.name !== QOE_PROJECTION),
    qoeProjection(options),
    alertsProjection,
  ];
}
