import type { MiddlewareHandler } from "hono";
import type { Logger } from "../../../domain/ports/logger.ts";

/** One JSON log line per request, with its request and correlation ids, status and duration. */
export const accessLog = (logger: Logger): MiddlewareHandler =>
  async function accessLog(c, next) {
    const started = performance.now();
    const requestLogger = logger.child({
      request_id: c.get("requestId"),
      correlation_id: c.get("correlationId"),
    });
    c.set("logger", requestLogger);
    await next();
    requestLogger.info("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
    });
  };

declare module "hono" {
  interface ContextVariableMap {
    /** The request's logger: every line carries its request id. */
    logger: Logger;
  }
}
