/** The figure a rule watches and its sample, read from a window's QoE metrics. */
import type { QoeMetrics } from "../qoe/metrics.ts";
import { ALERT_METRICS, type AlertMetric } from "./rules.ts";

export function watchedFigure(
  metrics: QoeMetrics,
  metric: AlertMetric,
): { value: number | null; sample: number } {
  const value = metric === "vst_p95_ms" ? metrics.video_start_time_ms.p95 : metrics[metric];
  return { value, sample: metrics[ALERT_METRICS[metric]] };
}
