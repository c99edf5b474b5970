/** The facts of an HTTP request that ingest records with its events (POST /v1/events, CMCD). */
import type { Context } from "hono";
import { optionalIdentityOf } from "../identity.ts";
import type { IngestContext } from "./ingest.ts";

/** `countryHeader`: the header a trusted edge puts the client's country in, if configured. */
export function ingestContextOf(c: Context, countryHeader?: string): IngestContext {
  const identity = optionalIdentityOf(c);
  return {
    receivedAt: Date.now(),
    userAgent: c.req.header("user-agent"),
    country: countryHeader ? countryCode(c.req.header(countryHeader)) : undefined,
    userId: identity?.userId,
    profileId: identity?.profileId,
  };
}

function countryCode(value: string | undefined): string | undefined {
  const code = value?.trim().toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) ? code : undefined;
}
