import { MissingRelationError } from "../../domain/ports/sql.ts";
import { BackingServiceUnavailableError } from "../../domain/ports/unavailable.ts";

/** SQLSTATE and constraint of a database error, whichever driver threw it. */
export function sqlErrorOf(error: unknown): { code?: string; constraint?: string } {
  if (typeof error !== "object" || error === null) return {};
  const e = error as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
  const constraint = e.constraint_name ?? e.constraint;
  return {
    code: typeof e.code === "string" ? e.code : undefined,
    constraint: typeof constraint === "string" ? constraint : undefined,
  };
}

/** postgres.js's own codes for a connection it could not open or lost. */
const CONNECTION_LOST = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/**
 * The port's errors for a database that cannot answer now (connection lost or refused, server
 * shutting down or starting, out of connections) and for a relation not created yet; any other
 * error is returned as it is.
 */
export function translateSqlError(error: unknown): unknown {
  if (error instanceof MissingRelationError) return error; // translated inside a transaction
  const { code = "" } = sqlErrorOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === "42P01") return new MissingRelationError(message, { cause: error });
  const unavailable = CONNECTION_LOST.has(code) || code.startsWith("08") ||
    ["57P01", "57P02", "57P03", "53300"].includes(code);
  if (unavailable) {
    return new BackingServiceUnavailableError("postgresql", message, 5, { cause: error });
  }
  return error;
}

/** `promise`, failing with the port's error (translateSqlError) rather than the driver's. */
export function translated<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error) => {
    throw translateSqlError(error);
  });
}
