/**
 * Events of an account (seed 003): registration, password changes, profiles, and sign-in sessions.
 * A session is one device's chain of rotating refresh tokens (a token family); only hashes of the
 * tokens are recorded.
 */
import * as v from "valibot";
import { defineEventTypes, type EventDefinitions, type EventsOf } from "../shared/event-types.ts";
import { Role } from "./values.ts";

const Text = v.string();
const Time = v.number(); // epoch milliseconds

export const SESSION_END_REASONS = [
  "logout",
  "replaced", // the same device signed in again
  "password_changed",
  "refresh_token_reused", // a rotated refresh token came back: the family is presumed stolen
] as const;

const definitions = {
  AccountRegistered: {
    version: 1,
    schema: v.object({ account_id: Text, email: Text, role: Role, password_hash: Text }),
  },
  PasswordChanged: { version: 1, schema: v.object({ account_id: Text, password_hash: Text }) },
  ProfileAdded: {
    version: 1,
    schema: v.object({ account_id: Text, profile_id: Text, name: Text }),
  },
  SessionStarted: {
    version: 1,
    schema: v.object({
      account_id: Text,
      session_id: Text,
      device_id: Text,
      profile_id: Text,
      refresh_hash: Text,
      expires_at: Time,
    }),
  },
  SessionRefreshed: {
    version: 1,
    schema: v.object({
      account_id: Text,
      session_id: Text,
      profile_id: Text,
      refresh_hash: Text,
      expires_at: Time,
    }),
  },
  SessionEnded: {
    version: 1,
    schema: v.object({
      account_id: Text,
      session_id: Text,
      reason: v.picklist(SESSION_END_REASONS),
    }),
  },
} satisfies EventDefinitions;

export const accountEventTypes = defineEventTypes(definitions);
export type AccountEvent = EventsOf<typeof definitions>;
