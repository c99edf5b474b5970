import type { MiddlewareHandler } from "hono";
import { ProblemError, titleOf } from "../problems.ts";

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/**
 * Requests that carry a body must say it is JSON (415 otherwise), so that a form post or a file
 * sent to a JSON endpoint gets a clear answer instead of a parse error.
 */
export const requireJson = (): MiddlewareHandler =>
  async function requireJson(c, next) {
    const hasBody = c.req.raw.body !== null && c.req.header("content-length") !== "0";
    if (hasBody && !JSON_TYPE.test(c.req.header("content-type") ?? "")) {
      throw new ProblemError({
        status: 415,
        title: titleOf(415),
        detail: "send the body as application/json",
      });
    }
    await next();
  };
