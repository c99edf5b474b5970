/**
 * Every error answer is an RFC 9457 problem document (application/problem+json). This module maps
 * the errors the layers below throw to statuses; anything unexpected is a 500 without internals.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { TooManyEventsError } from "../../commands/telemetry/ingest.ts";
import { UnavailableInRegionError } from "../../domain/catalog/geo.ts";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  DuplicateEventError,
  InvalidEventError,
  WrongExpectedVersionError,
} from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import {
  UnacceptableMediaError,
  UnsupportedMediaTypeError,
  UploadTooLargeError,
} from "../../domain/media/upload-errors.ts";
import { TelemetryLogUnavailableError } from "../../domain/ports/telemetry-log.ts";
import { BackingServiceUnavailableError } from "../../domain/ports/unavailable.ts";
import { MissingRelationError } from "../../domain/ports/sql.ts";
import {
  ConflictError,
  type FieldIssue,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from "../../domain/shared/errors.ts";

export interface Problem {
  status: ContentfulStatusCode;
  title: string;
  detail?: string;
  errors?: readonly FieldIssue[];
  /** Seconds, for 429 and 503. */
  retryAfter?: number;
}

const TITLES: Partial<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function titleOf(status: number): string {
  return TITLES[status] ?? "Error";
}

/** An error a route throws to answer with a specific problem. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export function problemResponse(c: Context, problem: Problem): Response {
  const body = {
    type: "about:blank",
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
    instance: new URL(c.req.url).pathname,
    request_id: c.get("requestId"),
  };
  const headers: Record<string, string> = { "content-type": "application/problem+json" };
  if (problem.retryAfter !== undefined) headers["retry-after"] = String(problem.retryAfter);
  if (problem.status === 401) headers["www-authenticate"] = 'Bearer realm="streaming-api"';
  return c.body(JSON.stringify(body), problem.status, headers);
}

/** The problem for an error; unknown errors are logged and hidden behind a 500. */
export function problemFor(error: unknown, logger: Logger): Problem {
  const known = knownProblem(error);
  if (known) return known;
  logger.error("unhandled error", { error });
  return {
    status: 500,
    title: titleOf(500),
    detail: "The server failed to answer; the error is logged with this request id.",
  };
}

function knownProblem(error: unknown): Problem | undefined {
  if (error instanceof ProblemError) return error.problem;
  if (error instanceof ValidationError) {
    return { status: 400, title: titleOf(400), detail: error.message, errors: error.issues };
  }
  if (error instanceof NotFoundError) {
    return { status: 404, title: titleOf(404), detail: error.message };
  }
  if (error instanceof UnauthenticatedError) {
    return { status: 401, title: titleOf(401), detail: error.message };
  }
  if (error instanceof ForbiddenError) {
    return { status: 403, title: titleOf(403), detail: error.message };
  }
  if (error instanceof UnavailableInRegionError) {
    return { status: 451, title: titleOf(451), detail: error.message };
  }
  if (error instanceof RateLimitedError) {
    return {
      status: 429,
      title: titleOf(429),
      detail: error.message,
      retryAfter: error.retryAfterSec,
    };
  }
  if (error instanceof ConflictError || error instanceof DuplicateEventError) {
    return { status: 409, title: titleOf(409), detail: error.message };
  }
  if (error instanceof WrongExpectedVersionError) {
    return {
      status: 409,
      title: titleOf(409),
      detail: `${error.message}; it changed meanwhile, read it again and retry`,
    };
  }
  if (error instanceof InvalidEventError) {
    return { status: 400, title: titleOf(400), detail: error.message };
  }
  if (error instanceof TooManyEventsError) {
    return { status: 413, title: titleOf(413), detail: error.message };
  }
  if (error instanceof UploadTooLargeError) {
    return { status: 413, title: titleOf(413), detail: error.message };
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return { status: 415, title: titleOf(415), detail: error.message };
  }
  if (error instanceof UnacceptableMediaError) {
    return { status: 422, title: titleOf(422), detail: error.message };
  }
  if (error instanceof BackingServiceUnavailableError) {
    return unavailable("a backing service is unavailable; retry shortly", error.retryAfterSec);
  }
  if (error instanceof MissingRelationError) {
    return unavailable("this read model is still being built by the projections; retry shortly", 2);
  }
  if (error instanceof TelemetryLogUnavailableError) {
    return unavailable(
      "the telemetry log cannot take events now; nothing of this batch was accepted",
      5,
    );
  }
  if (error instanceof HTTPException && error.status < 500) {
    const status = error.status as ContentfulStatusCode;
    return { status, title: titleOf(status), detail: error.message || undefined };
  }
  return undefined;
}

/** 503 with Retry-After: the request may succeed once what it needs is back. */
function unavailable(detail: string, retryAfter: number): Problem {
  return { status: 503, title: titleOf(503), detail, retryAfter };
}
