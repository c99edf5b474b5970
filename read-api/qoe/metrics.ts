/**
 * QoE figures as Prometheus gauges, computed at each scrape from the QoE read model over the last
 * five minutes (the same figures GET /v1/qoe/overview and /breakdown give), so a Grafana dashboard
 * over Prometheus shows the seed's panels: concurrent viewers, startup time, rebuffering by region
 * and CDN PoP, the QoE score.
 */
import type { Metrics, Sample } from "../../domain/ports/metrics.ts";
import { qoeMetrics } from "../../domain/qoe/metrics.ts";
import { liveViewers, windowInputs } from "../../projections/qoe/queries.ts";
import type { QoeReadSettings } from "./routes.ts";

const SPAN_MS = 5 * 60_000;

export function qoeGauges(metrics: Metrics, settings: QoeReadSettings): void {
  const { sql } = settings;
  const span = () => ({ fromMs: Date.now() - SPAN_MS, toMs: Date.now() + 60_000 });
  const figures = async (groupBy?: "country" | "cdn_pop") =>
    (await windowInputs(sql, settings.sketches, { ...span(), groupBy })).map((g) => ({
      group: g.group,
      metrics: qoeMetrics(g.inputs, settings),
    }));
  const present = (value: number | null | undefined, labels: Sample["labels"]): Sample[] =>
    value === null || value === undefined ? [] : [{ labels, value }];

  metrics.gauge({
    name: "playback_sessions_active",
    help: "Live playback sessions (not ended, heard from within three heartbeats), per country",
    read: async () => {
      const live = await liveViewers(sql, {
        nowMs: Date.now(),
        silenceMs: settings.silenceMs,
        groupBy: "country",
      });
      return [...live].map(([country, n]) => ({ labels: { country: country ?? "" }, value: n }));
    },
  });
  metrics.gauge({
    name: "qoe_video_start_time_seconds",
    help: "Video startup time percentiles over the last 5 minutes (merged DDSketches)",
    read: async () =>
      (await figures()).flatMap(({ metrics: m }) => {
        const vst = m.video_start_time_ms;
        const quantiles = { "0.5": vst.p50, "0.95": vst.p95, "0.99": vst.p99 };
        return Object.entries(quantiles).flatMap(([quantile, ms]) =>
          present(ms === null ? null : ms / 1000, { quantile })
        );
      }),
  });
  for (const by of ["country", "cdn_pop"] as const) {
    metrics.gauge({
      name: `qoe_rebuffering_ratio_by_${by}`,
      help: `Rebuffer time / (play + rebuffer time) over the last 5 minutes, per ${by}`,
      read: async () =>
        (await figures(by)).flatMap(({ group, metrics: m }) =>
          present(m.rebuffering_ratio, { [by]: group ?? "" })
        ),
    });
  }
  const overall = (
    name: string,
    help: string,
    pick: (m: ReturnType<typeof qoeMetrics>) => number | null,
  ) =>
    metrics.gauge({
      name,
      help,
      read: async () => (await figures()).flatMap(({ metrics: m }) => present(pick(m), {})),
    });
  overall("qoe_score", "The seed's QoE score (0-100) over the last 5 minutes", (m) => m.qoe_score);
  overall(
    "qoe_rebuffering_ratio",
    "Rebuffer time / (play + rebuffer time) over the last 5 minutes",
    (m) => m.rebuffering_ratio,
  );
  overall(
    "qoe_playback_failure_ratio",
    "Plays ended by a fatal error / plays, over the last 5 minutes",
    (m) => m.playback_failure_rate,
  );
}
