/**
 * The account decider: registration, password changes, profiles, and sign-in sessions with
 * rotating refresh tokens. Secrets never reach it: the command layer hashes tokens and verifies
 * passwords (async work) and passes hashes and outcomes in, so the decider stays pure.
 */
import type { Decider } from "../shared/decider.ts";
import { ConflictError, NotFoundError, UnauthenticatedError } from "../shared/errors.ts";
import { DEFAULT_PROFILE } from "../watch-history/viewer.ts";
import type { AccountEvent } from "./events.ts";
import { MAX_PROFILES, type Role } from "./values.ts";

export interface Session {
  deviceId: string;
  profileId: string;
  refreshHash: string;
  /** Hashes this session's tokens had before rotation: one coming back means theft. */
  rotatedHashes: string[];
  expiresAt: number;
}

export type AccountState =
  | { registered: false }
  | {
    registered: true;
    email: string;
    role: Role;
    passwordHash: string;
    profiles: { profile_id: string; name: string }[];
    /** Sessions not ended (some may have expired: see activeSessions). */
    sessions: Record<string, Session>;
  };

interface SessionGrant {
  session_id: string;
  refresh_hash: string;
  expires_at: number;
  /** Now, in epoch ms: expired sessions neither count towards the device limit nor refresh. */
  now: number;
}

export type AccountCommand =
  | {
    type: "Register";
    data: { account_id: string; email: string; role: Role; password_hash: string };
  }
  | {
    type: "ChangePassword";
    data: { account_id: string; current_password_verified: boolean; password_hash: string };
  }
  | { type: "AddProfile"; data: { account_id: string; profile_id: string; name: string } }
  | {
    type: "LogIn";
    data: SessionGrant & {
      account_id: string;
      password_verified: boolean;
      device_id: string;
      profile_id: string;
      max_devices: number;
    };
  }
  | {
    type: "Refresh";
    data: SessionGrant & { account_id: string; presented_hash: string; profile_id?: string };
  }
  | { type: "LogOut"; data: { account_id: string; session_id: string } };

/** Rotated hashes kept per session; an older token coming back is refused without revoking. */
const KEPT_ROTATED_HASHES = 50;

/** Same words for an unknown account and a wrong password, so e-mails cannot be probed. */
export const BAD_CREDENTIALS = "the email or the password is wrong";

export class DeviceLimitError extends ConflictError {
  constructor(readonly limit: number) {
    super(
      `at most ${limit} devices may be signed in to one account at a time; ` +
        "log out on another device first",
    );
  }
}

export function activeSessions(state: AccountState, now: number): [string, Session][] {
  if (!state.registered) return [];
  return Object.entries(state.sessions).filter(([, session]) => session.expiresAt > now);
}

function evolve(state: AccountState, event: AccountEvent): AccountState {
  if (event.type === "AccountRegistered") {
    const { email, role, password_hash } = event.data;
    return {
      registered: true,
      email,
      role,
      passwordHash: password_hash,
      profiles: [],
      sessions: {},
    };
  }
  if (!state.registered) return state;
  switch (event.type) {
    case "PasswordChanged":
      return { ...state, passwordHash: event.data.password_hash };
    case "ProfileAdded": {
      const { profile_id, name } = event.data;
      return { ...state, profiles: [...state.profiles, { profile_id, name }] };
    }
    case "SessionStarted": {
      const { session_id, device_id, profile_id, refresh_hash, expires_at } = event.data;
      const session: Session = {
        deviceId: device_id,
        profileId: profile_id,
        refreshHash: refresh_hash,
        rotatedHashes: [],
        expiresAt: expires_at,
      };
      return { ...state, sessions: { ...state.sessions, [session_id]: session } };
    }
    case "SessionRefreshed": {
      const { session_id, profile_id, refresh_hash, expires_at } = event.data;
      const before = state.sessions[session_id];
      if (!before) return state;
      const session: Session = {
        ...before,
        profileId: profile_id,
        refreshHash: refresh_hash,
        rotatedHashes: [...before.rotatedHashes, before.refreshHash].slice(-KEPT_ROTATED_HASHES),
        expiresAt: expires_at,
      };
      return { ...state, sessions: { ...state.sessions, [session_id]: session } };
    }
    case "SessionEnded": {
      const { [event.data.session_id]: _ended, ...sessions } = state.sessions;
      return { ...state, sessions };
    }
  }
}

function decide(command: AccountCommand, state: AccountState): AccountEvent[] {
  if (command.type === "Register") {
    if (state.registered) throw new ConflictError("an account with this email already exists");
    return [{ type: "AccountRegistered", data: command.data }];
  }
  if (!state.registered) {
    if (command.type === "LogIn") throw new UnauthenticatedError(BAD_CREDENTIALS);
    if (command.type === "Refresh" || command.type === "LogOut") {
      throw new UnauthenticatedError("the refresh token is not valid");
    }
    throw new NotFoundError(`account ${command.data.account_id} does not exist`);
  }
  const account_id = command.data.account_id;
  switch (command.type) {
    case "ChangePassword": {
      if (!command.data.current_password_verified) {
        throw new UnauthenticatedError("the current password is wrong");
      }
      // Every refresh token dies with the old password: whoever knew it is signed out everywhere.
      return [
        {
          type: "PasswordChanged",
          data: { account_id, password_hash: command.data.password_hash },
        },
        ...ended(Object.keys(state.sessions), account_id, "password_changed"),
      ];
    }
    case "AddProfile": {
      const { profile_id, name } = command.data;
      if (state.profiles.some((p) => p.name.toLowerCase() === name.toLowerCase())) {
        throw new ConflictError(`a profile named "${name}" already exists`);
      }
      if (state.profiles.length >= MAX_PROFILES) {
        throw new ConflictError(`an account holds at most ${MAX_PROFILES} profiles`);
      }
      return [{ type: "ProfileAdded", data: { account_id, profile_id, name } }];
    }
    case "LogIn":
      return logIn(command.data, state);
    case "Refresh":
      return refresh(command.data, state);
    case "LogOut": {
      const { session_id } = command.data;
      return state.sessions[session_id] ? ended([session_id], account_id, "logout") : [];
    }
  }
}

type Registered = Extract<AccountState, { registered: true }>;

function logIn(data: Extract<AccountCommand, { type: "LogIn" }>["data"], state: Registered) {
  if (!data.password_verified) throw new UnauthenticatedError(BAD_CREDENTIALS);
  checkProfile(state, data.profile_id);
  const { account_id, session_id, device_id, profile_id, refresh_hash, expires_at } = data;
  const active = activeSessions(state, data.now);
  // Signing in again on a device replaces that device's session instead of taking another slot.
  const sameDevice = active.filter(([, s]) => s.deviceId === device_id).map(([id]) => id);
  const devices = new Set(active.map(([, s]) => s.deviceId));
  if (sameDevice.length === 0 && devices.size >= data.max_devices) {
    throw new DeviceLimitError(data.max_devices);
  }
  return [
    ...ended(sameDevice, account_id, "replaced"),
    {
      type: "SessionStarted" as const,
      data: { account_id, session_id, device_id, profile_id, refresh_hash, expires_at },
    },
  ];
}

function refresh(data: Extract<AccountCommand, { type: "Refresh" }>["data"], state: Registered) {
  const { account_id, session_id, presented_hash } = data;
  const session = state.sessions[session_id];
  if (!session || session.expiresAt <= data.now) {
    throw new UnauthenticatedError("the refresh token is not valid: sign in again");
  }
  if (session.rotatedHashes.includes(presented_hash)) {
    // Decided, not thrown: the revocation must be stored; the caller still gets a 401.
    return ended([session_id], account_id, "refresh_token_reused");
  }
  if (session.refreshHash !== presented_hash) {
    throw new UnauthenticatedError("the refresh token is not valid: sign in again");
  }
  const profile_id = data.profile_id ?? session.profileId;
  checkProfile(state, profile_id);
  return [{
    type: "SessionRefreshed" as const,
    data: {
      account_id,
      session_id,
      profile_id,
      refresh_hash: data.refresh_hash,
      expires_at: data.expires_at,
    },
  }];
}

function checkProfile(state: Registered, profileId: string): void {
  if (profileId === DEFAULT_PROFILE) return;
  if (!state.profiles.some((p) => p.profile_id === profileId)) {
    throw new NotFoundError(`profile ${profileId} does not exist in this account`);
  }
}

function ended(
  sessionIds: string[],
  account_id: string,
  reason: Extract<AccountEvent, { type: "SessionEnded" }>["data"]["reason"],
): AccountEvent[] {
  return sessionIds.map((session_id) => ({
    type: "SessionEnded",
    data: { account_id, session_id, reason },
  }));
}

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: () => ({ registered: false }),
  evolve,
  decide,
};
