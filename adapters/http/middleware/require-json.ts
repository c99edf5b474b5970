import type { Context, MiddlewareHandler } from "hono";
import { ProblemError, titleOf } from "../problems.ts";

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/**
 * Requests that carry a body must say it is JSON (415 otherwise), so that a form post or a file
 * sent to a JSON endpoint gets a clear answer instead of a parse error.
 */
export const requireJson = (
  /** Other body types a route takes (e.g. CMCD reports), by request. */
  alsoAccepts: (c: Context, contentType: string) => boolean = () => false,
): MiddlewareHandler =>
  async function requireJson(c, next) {
    const hasBody = c.req.raw.body !== null && c.req.header("content-length") !== "0";
    const type = c.req.header("content-type") ?? "";
    if (hasBody && !JSON_TYPE.test(type) && !alsoAccepts(c, type)) {
      throw new ProblemError({
        status: 415,
        title: titleOf(415),
        detail: "send the body as application/json",
      });
    }
    await next();
  };
