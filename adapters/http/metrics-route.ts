/**
 * GET /metrics for Prometheus. Public in the access policy (Prometheus scrapes without a user);
 * with METRICS_TOKEN set, the scraper must send it as `Authorization: Bearer <token>`.
 */
import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { UnauthenticatedError } from "../../domain/shared/errors.ts";
import {
  PROMETHEUS_CONTENT_TYPE,
  type PrometheusRegistry,
} from "../metrics/prometheus-registry.ts";

export interface MetricsEndpoint {
  registry: PrometheusRegistry;
  /** Required of scrapers when set. */
  token?: string;
}

export function metricsRoutes({ registry, token }: MetricsEndpoint): Hono {
  return new Hono().get(
    "/metrics",
    describeRoute({
      tags: ["operations"],
      summary: "Metrics in the Prometheus text format (Bearer METRICS_TOKEN when one is set)",
      responses: {
        200: {
          description: "Prometheus exposition",
          content: { "text/plain": { schema: { type: "string" } } },
        },
      },
    }),
    async (c) => {
      if (token !== undefined && !sameSecret(bearerOf(c.req.header("authorization")), token)) {
        throw new UnauthenticatedError("GET /metrics needs the METRICS_TOKEN as a Bearer token");
      }
      return c.body(await registry.render(), 200, { "content-type": PROMETHEUS_CONTENT_TYPE });
    },
  );
}

function bearerOf(header: string | undefined): string {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1] ?? "";
}

function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
