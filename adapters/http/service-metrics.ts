/** The scrape-time gauges of every feature, registered on the service's metrics registry. */
import type { Metrics } from "../../domain/ports/metrics.ts";
import { transcodeQueueMetrics } from "../../commands/transcoding/metrics.ts";
import { projectionMetrics } from "../../projections/runtime/metrics.ts";
import { qoeGauges } from "../../read-api/qoe/metrics.ts";
import type { QoeReadSettings } from "../../read-api/qoe/routes.ts";
import type { ServiceDeps } from "./service-app.ts";

export function serviceGauges(
  metrics: Metrics,
  deps: ServiceDeps,
  qoe: QoeReadSettings | undefined,
): void {
  projectionMetrics(metrics, deps.projections);
  transcodeQueueMetrics(metrics, deps.readModels);
  if (qoe) qoeGauges(metrics, qoe);
}
