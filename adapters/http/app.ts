/**
 * The HTTP shell: request ids, access logs, body limits, problem+json errors, health and
 * readiness, the OpenAPI document and its docs page; features are sub-apps mounted under /v1.
 */
import { swaggerUI } from "@hono/swagger-ui";
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { openAPIRouteHandler } from "hono-openapi";
import type { Logger } from "../../domain/ports/logger.ts";
import { healthRoutes, type ReadinessChecks } from "./health.ts";
import { accessLog } from "./middleware/access-log.ts";
import { correlationId } from "./middleware/correlation-id.ts";
import { httpMetrics } from "./middleware/http-metrics.ts";
import { type MetricsEndpoint, metricsRoutes } from "./metrics-route.ts";
import { requireJson } from "./middleware/require-json.ts";
import { ProblemError, problemFor, problemResponse, titleOf } from "./problems.ts";

export interface Feature {
  /** Mount path under /v1, e.g. "/videos". */
  path: string;
  app: Hono;
  /** Body types its routes take besides JSON (others get 415). */
  bodyTypes?: RegExp;
}

export interface AppOptions {
  logger: Logger;
  features: readonly Feature[];
  /** Features that read their own request bodies (uploads): no JSON-only or body-size rule. */
  rawBodyFeatures?: readonly Feature[];
  readiness: ReadinessChecks;
  /** Largest accepted request body in bytes. */
  maxBodyBytes: number;
  version: string;
  /** Run before every route, health and docs included: identity, access control, write limits. */
  guards?: readonly MiddlewareHandler[];
  /** Request counts and durations, and GET /metrics; none: no metrics. */
  metrics?: MetricsEndpoint;
}

export function createApp(
  {
    logger,
    features,
    rawBodyFeatures = [],
    readiness,
    maxBodyBytes,
    version,
    guards = [],
    metrics,
  }: AppOptions,
): Hono {
  const app = new Hono();
  app.use(requestId({ headerName: "X-Request-Id" }));
  app.use(correlationId());
  app.use(accessLog(logger));
  if (metrics) app.use(httpMetrics(metrics.registry));
  for (const guard of guards) app.use(guard);
  app.route("/", healthRoutes(readiness));
  if (metrics) app.route("/", metricsRoutes(metrics));

  // Mounted before /v1's middleware, whose handlers they answer ahead of.
  for (const feature of rawBodyFeatures) app.route(`/v1${feature.path}`, feature.app);
  const v1 = new Hono();
  v1.use(bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw new ProblemError({
        status: 413,
        title: titleOf(413),
        detail: `the body is larger than the ${maxBodyBytes} bytes allowed`,
      });
    },
  }));
  v1.use(
    requireJson((c, type) =>
      features.some((f) =>
        f.bodyTypes?.test(type) &&
        (c.req.path === `/v1${f.path}` || c.req.path.startsWith(`/v1${f.path}/`))
      )
    ),
  );
  for (const feature of features) v1.route(feature.path, feature.app);
  app.route("/v1", v1);

  app.get(
    "/openapi.json",
    openAPIRouteHandler(app, {
      documentation: {
        info: {
          title: "Streaming backend API",
          version,
          description: "Catalog commands and queries of the event-sourced streaming backend.",
        },
        // Who may call each route: adapters/http/access-policy.ts (public routes ignore the token).
        components: {
          securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
        },
        security: [{ bearer: [] }],
      },
    }),
  );
  app.get("/docs", swaggerUI({ url: "/openapi.json" }));

  app.notFound((c) =>
    problemResponse(c, {
      status: 404,
      title: titleOf(404),
      detail: `no route ${c.req.method} ${c.req.path}`,
    })
  );
  app.onError((error, c) => problemResponse(c, problemFor(error, c.get("logger") ?? logger)));
  return app;
}
