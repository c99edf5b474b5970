/**
 * What a process without the `api` role serves (PROCESS_ROLES=projections and/or transcoder):
 * GET /health, GET /ready and GET /metrics, so the orchestrator can check it and Prometheus scrape
 * its own figures (projection lag, transcode jobs). No /v1 route.
 */
import type { Hono } from "hono";
import type { Logger } from "../../domain/ports/logger.ts";
import type { ProjectionRuntime } from "../../projections/runtime/runtime.ts";
import { projectionMetrics } from "../../projections/runtime/metrics.ts";
import type { PrometheusRegistry } from "../metrics/prometheus-registry.ts";
import { createApp } from "./app.ts";
import type { ReadinessChecks } from "./health.ts";

export interface OperationsDeps {
  logger: Logger;
  version: string;
  readiness: ReadinessChecks;
  metrics: PrometheusRegistry;
  metricsToken?: string;
  /** With the `projections` role: its lag on /metrics. */
  projections?: ProjectionRuntime;
}

export function operationsApp(deps: OperationsDeps): Hono {
  if (deps.projections) projectionMetrics(deps.metrics, deps.projections);
  return createApp({
    logger: deps.logger,
    version: deps.version,
    readiness: deps.readiness,
    features: [],
    maxBodyBytes: 1024,
    metrics: { registry: deps.metrics, token: deps.metricsToken },
  });
}
