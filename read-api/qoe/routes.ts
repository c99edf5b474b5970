/**
 * QoE read API: GET /v1/qoe/overview, /v1/qoe/content/:id and /v1/qoe/breakdown?by=..., each for
 * a 1-minute or 5-minute window (the latest with data unless `from`/`to` name a span, whose
 * windows are merged: counters summed, start-time sketches merged).
 */
import { Hono } from "hono";
import { describeRoute, validator } from "hono-openapi";
import * as v from "valibot";
import type { QuantileSketches } from "../../domain/ports/quantile-sketch.ts";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { type QoeInputs, qoeMetrics } from "../../domain/qoe/metrics.ts";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import {
  liveViewers,
  trendingNow,
  windowInputs,
  type WindowQuery as Query,
} from "../../projections/qoe/queries.ts";
import { COUNTER_COLUMNS } from "../../projections/qoe/tables.ts";
import { json } from "../openapi.ts";
import { describeWindow, resolveWindow, WindowQuery } from "./window.ts";

export interface QoeReadSettings {
  sql: SqlExecutor;
  sketches: QuantileSketches;
  allowedLatenessSec: number;
  targetBitrateKbps: number;
  /** A session silent this long is no longer live (three heartbeats). */
  silenceMs: number;
}

const tags = ["qoe"];
const BREAKDOWNS = ["country", "cdn_pop", "device_type"] as const;
const OverviewQuery = v.strictObject(WindowQuery);
const BreakdownQuery = v.strictObject({ ...WindowQuery, by: v.picklist(BREAKDOWNS) });
const IdParam = v.object({ id: v.pipe(v.string(), v.nonEmpty(), v.maxLength(128)) });
const windowText = "Window `1m` or `5m` (default); `from`/`to` (ISO 8601) merge a span of them.";

export function qoeRoutes(settings: QoeReadSettings): Hono {
  const { sql } = settings;
  const figures = async (
    query: v.InferOutput<typeof OverviewQuery>,
    filter: Pick<Query, "contentId" | "groupBy">,
  ) => {
    const window = await resolveWindow(sql, query, filter.contentId);
    if (!window) return { window: null, groups: [] };
    const groups = await windowInputs(sql, settings.sketches, { ...window, ...filter });
    return {
      window: await describeWindow(sql, window, query.window, settings.allowedLatenessSec),
      groups: groups.map(({ group, inputs }) => ({ group, metrics: metricsOf(inputs) })),
    };
  };
  const metricsOf = (inputs: QoeInputs) => qoeMetrics(inputs, settings);
  const live = (filter: Pick<Query, "contentId" | "groupBy">) =>
    liveViewers(sql, { nowMs: Date.now(), silenceMs: settings.silenceMs, ...filter });

  return new Hono()
    .get(
      "/overview",
      describeRoute({
        tags,
        summary: "QoE of the whole service: figures of a window, live viewers, trending now",
        description: windowText,
        responses: {
          200: json("Window figures, live viewers, trending content"),
          400: json("Bad query"),
        },
      }),
      validator("query", OverviewQuery, throwIfInvalid),
      async (c) => {
        const { window, groups } = await figures(c.req.valid("query"), {});
        const nowMs = Date.now();
        return c.json({
          window,
          concurrent_viewers_now: (await live({})).get(null) ?? 0,
          metrics: groups[0]?.metrics ?? metricsOf(noData()),
          trending_now: await trendingNow(sql, { nowMs, silenceMs: settings.silenceMs, limit: 10 }),
        });
      },
    )
    .get(
      "/content/:id",
      describeRoute({
        tags,
        summary: "QoE of one content item in a window, with its live viewers",
        description: `${windowText} A content without figures answers \`window: null\`.`,
        responses: { 200: json("Window figures and live viewers"), 400: json("Bad query") },
      }),
      validator("param", IdParam, throwIfInvalid),
      validator("query", OverviewQuery, throwIfInvalid),
      async (c) => {
        const { id } = c.req.valid("param");
        const { window, groups } = await figures(c.req.valid("query"), { contentId: id });
        return c.json({
          content_id: id,
          window,
          concurrent_viewers_now: (await live({ contentId: id })).get(null) ?? 0,
          metrics: groups[0]?.metrics ?? metricsOf(noData()),
        });
      },
    )
    .get(
      "/breakdown",
      describeRoute({
        tags,
        summary: "QoE by country, CDN PoP or device type in a window",
        description: windowText,
        responses: { 200: json("One entry per value of the dimension"), 400: json("Bad query") },
      }),
      validator("query", BreakdownQuery, throwIfInvalid),
      async (c) => {
        const { by, ...query } = c.req.valid("query");
        const { window, groups } = await figures(query, { groupBy: by });
        const viewers = await live({ groupBy: by });
        return c.json({
          by,
          window,
          groups: groups.map(({ group, metrics }) => ({
            [by]: group,
            concurrent_viewers_now: viewers.get(group) ?? 0,
            metrics,
          })),
        });
      },
    );
}

function noData(): QoeInputs {
  return {
    counters: Object.fromEntries(COUNTER_COLUMNS.map((c) => [c, 0])) as QoeInputs["counters"],
    vst: { count: 0, p50: null, p95: null, p99: null },
    unique_viewers: 0,
    concurrent: { max: 0, avg: 0 },
  };
}
