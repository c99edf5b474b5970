/** Errors the domain raises; the HTTP shell turns each kind into its status and problem document. */

export interface FieldIssue {
  /** Dotted path of the field, e.g. "tags.2"; empty for the whole input. */
  path: string;
  message: string;
}

/** The input is malformed: wrong types, missing or unknown fields, values out of range. */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  constructor(readonly issues: readonly FieldIssue[], message = "the input is not valid") {
    super(message);
  }
}

/** The thing the command or query is about does not exist (or no longer does). */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}

/** The command is well-formed but the current state does not allow it. */
export class ConflictError extends Error {
  override readonly name = "ConflictError";
}

/** The caller is not who they need to be: no credentials, or bad or expired ones. */
export class UnauthenticatedError extends Error {
  override readonly name = "UnauthenticatedError";
}

/** The caller is known but their role or ownership does not allow this. */
export class ForbiddenError extends Error {
  override readonly name = "ForbiddenError";
}

/** Too many attempts for now (e.g. failed logins); retry after the given seconds. */
export class RateLimitedError extends Error {
  override readonly name = "RateLimitedError";
  constructor(message: string, readonly retryAfterSec: number) {
    super(message);
  }
}
