import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { DURATION_BUCKETS, type Metrics } from "../../../domain/ports/metrics.ts";

/** The request metrics, also counted by the lean media path (../lean-media-path.ts). */
export const HTTP_METRICS = {
  requests: {
    name: "http_requests_total",
    help: "HTTP requests by method, route pattern and status",
  },
  durations: {
    name: "http_request_duration_seconds",
    help: "HTTP request durations by method, route pattern and status",
  },
} as const;

/**
 * Requests and their durations by method, route pattern and status. The pattern is the route the
 * request matched last (its most specific one, "/v1/videos/:id"), never the raw URL, so ids do not
 * make a series each; a path no route knows counts under the catch-all middleware's pattern.
 */
export function httpMetrics(metrics: Metrics): MiddlewareHandler {
  const requests = metrics.counter(HTTP_METRICS.requests);
  const durations = metrics.histogram({ ...HTTP_METRICS.durations, buckets: DURATION_BUCKETS });
  return async function httpMetrics(c, next) {
    const started = performance.now();
    await next();
    const labels = { method: c.req.method, route: routePath(c, -1), status: String(c.res.status) };
    requests.inc(labels);
    durations.observe(labels, (performance.now() - started) / 1000);
  };
}
