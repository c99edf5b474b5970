import type { MiddlewareHandler } from "hono";

/** Ids a caller may pass along: a UUID, a trace id, "checkout-42"; anything else is ignored. */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The correlation id ties together everything one user action causes: the caller's
 * X-Correlation-Id when it sends a usable one (a gateway or another service started the chain),
 * else this request's id. Echoed in the response, written on the request's log lines and into the
 * metadata of the events its commands append (commands/http-context.ts).
 */
export const correlationId = (): MiddlewareHandler =>
  async function correlationId(c, next) {
    const id = acceptedCorrelationId(c.req.header("x-correlation-id")) ?? c.get("requestId");
    c.set("correlationId", id);
    c.header("X-Correlation-Id", id);
    await next();
  };

/** The caller's correlation id when it is usable, else undefined. */
export function acceptedCorrelationId(given: string | null | undefined): string | undefined {
  return given != null && ACCEPTED.test(given) ? given : undefined;
}

declare module "hono" {
  interface ContextVariableMap {
    /** The caller's X-Correlation-Id, or the request id (see correlationId). */
    correlationId: string;
  }
}
