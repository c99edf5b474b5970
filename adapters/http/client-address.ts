/**
 * The client's IP address. Behind a trusted proxy it is the first X-Forwarded-For hop; otherwise
 * the peer of the connection, which each runtime hands to the fetch handler differently (Deno's
 * `info.remoteAddr`, @hono/node-server's `incoming.socket`).
 */
import type { Context } from "hono";

interface RuntimeEnv {
  remoteAddr?: { hostname?: string };
  incoming?: { socket?: { remoteAddress?: string } };
}

export function clientAddress(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  const env = c.env as RuntimeEnv | undefined;
  return env?.remoteAddr?.hostname ?? env?.incoming?.socket?.remoteAddress;
}
