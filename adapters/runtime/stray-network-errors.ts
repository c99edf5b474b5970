/**
 * A driver may let a socket error escape as a promise nobody awaits (postgres.js with ECONNRESET
 * while PostgreSQL restarts), and Deno and Node end the process on an unhandled rejection. A
 * network error of that kind is logged and survived: whoever owns the connection learns of the
 * loss through its own failed statements. Any other unhandled rejection still ends the process.
 */
import process from "node:process";
import type { Logger } from "../../domain/ports/logger.ts";

const NETWORK_ERRORS = new Set(["ECONNRESET", "EPIPE", "ECONNREFUSED", "ETIMEDOUT"]);

export function surviveStrayNetworkErrors(logger: Logger): void {
  process.on("unhandledRejection", (reason: unknown) => {
    const code = (reason as { code?: unknown } | null)?.code;
    if (typeof code !== "string" || !NETWORK_ERRORS.has(code)) throw reason;
    logger.warn("a connection failed with nobody waiting on it", { error: reason });
  });
}
