/**
 * The sign-in flow over the account aggregate: register, log in, refresh, log out, change the
 * password, add a profile. Passwords are checked here (argon2id is async work) and their outcome
 * handed to the decider; tokens are issued only for the sessions the decider started.
 */
import type { AccountCommand, AccountState } from "../../domain/accounts/account.ts";
import type { Role } from "../../domain/accounts/values.ts";
import type { AccessTokens } from "../../domain/ports/access-tokens.ts";
import type { EndedSessions } from "../../domain/ports/ended-sessions.ts";
import type { EventMetadata, EventStore } from "../../domain/ports/event-store.ts";
import type { PasswordHasher } from "../../domain/ports/password-hasher.ts";
import type { SnapshotStore } from "../../domain/ports/snapshots.ts";
import { NotFoundError, UnauthenticatedError } from "../../domain/shared/errors.ts";
import { DEFAULT_PROFILE } from "../../domain/watch-history/viewer.ts";
import { handleCommand, loadAggregate } from "../handle-command.ts";
import { accounts } from "./aggregate.ts";
import { accountIdOf, newRefreshToken, randomSecret, readRefreshToken } from "./credentials.ts";
import type { LoginThrottle } from "./login-throttle.ts";

export interface SignInDeps {
  store: EventStore;
  retries: number;
  hasher: PasswordHasher;
  tokens: AccessTokens;
  /** Devices signed in at once per account (seed 004: 3). */
  maxDevices: number;
  refreshTtlSec: number;
  throttle?: LoginThrottle;
  /** Where account snapshots are kept; without it every load folds the whole stream. */
  snapshots?: SnapshotStore;
  /** Told of every session that ends, so its live access tokens are refused at once. */
  endedSessions?: EndedSessions;
}

export interface SignedIn {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
  user_id: string;
  profile_id: string;
  role: Role;
  profiles: { profile_id: string; name: string }[];
}

type Registered = Extract<AccountState, { registered: true }>;

const unknownAccountHashes = new WeakMap<PasswordHasher, Promise<string>>();

export function signIn(deps: SignInDeps, metadata?: EventMetadata) {
  async function handle(accountId: string, command: AccountCommand) {
    const handled = await handleCommand(deps.store, accounts, accountId, command, {
      metadata,
      retries: deps.retries,
      snapshots: deps.snapshots,
    });
    const ended = handled.events.flatMap((event) =>
      event.type === "SessionEnded" ? [event.data.session_id] : []
    );
    if (ended.length > 0) await deps.endedSessions?.end(ended);
    return handled;
  }

  function session(accountId: string, sessionId: string, state: AccountState) {
    const registered = state as Registered;
    const current = registered.sessions[sessionId]!;
    return {
      identity: {
        userId: accountId,
        profileId: current.profileId,
        role: registered.role,
        sessionId,
      },
      profiles: [{ profile_id: DEFAULT_PROFILE, name: "Default" }, ...registered.profiles],
    };
  }

  async function answer(
    accountId: string,
    sessionId: string,
    state: AccountState,
    refreshToken: string,
  ): Promise<SignedIn> {
    const { identity, profiles } = session(accountId, sessionId, state);
    const access = await deps.tokens.issue(identity);
    return {
      access_token: access.token,
      token_type: "Bearer",
      expires_in: access.expires_in,
      refresh_token: refreshToken,
      refresh_expires_in: deps.refreshTtlSec,
      user_id: accountId,
      profile_id: identity.profileId,
      role: identity.role,
      profiles,
    };
  }

  // Unknown accounts cost a hash check too, so timing does not tell which e-mails have accounts.
  async function checkPassword(state: AccountState, password: string): Promise<boolean> {
    if (!unknownAccountHashes.has(deps.hasher)) {
      unknownAccountHashes.set(deps.hasher, deps.hasher.hash(randomSecret()));
    }
    const hash = state.registered
      ? state.passwordHash
      : await unknownAccountHashes.get(deps.hasher)!;
    const verified = await deps.hasher.verify(hash, password);
    return state.registered && verified;
  }

  return {
    async register(email: string, password: string, role: Role) {
      const account_id = await accountIdOf(email);
      const password_hash = await deps.hasher.hash(password);
      await handle(account_id, {
        type: "Register",
        data: { account_id, email, role, password_hash },
      });
      return { user_id: account_id, email, role };
    },

    async logIn(
      input: { email: string; password: string; device_id: string; profile_id?: string },
    ): Promise<SignedIn> {
      await deps.throttle?.attempt(input.email);
      const account_id = await accountIdOf(input.email);
      const { state } = await loadAggregate(deps.store, accounts, account_id, deps.snapshots);
      const password_verified = await checkPassword(state, input.password);
      const session_id = crypto.randomUUID();
      const refresh = await newRefreshToken(account_id, session_id);
      const now = Date.now();
      try {
        const handled = await handle(account_id, {
          type: "LogIn",
          data: {
            account_id,
            password_verified,
            session_id,
            device_id: input.device_id,
            profile_id: input.profile_id ?? DEFAULT_PROFILE,
            refresh_hash: refresh.hash,
            expires_at: now + deps.refreshTtlSec * 1000,
            now,
            max_devices: deps.maxDevices,
          },
        });
        return answer(account_id, session_id, handled.state, refresh.token);
      } catch (error) {
        if (error instanceof UnauthenticatedError) await deps.throttle?.failed(input.email);
        throw error;
      }
    },

    async refresh(refreshToken: string, profileId?: string): Promise<SignedIn> {
      const presented = await readRefreshToken(refreshToken);
      if (!presented) throw new UnauthenticatedError("the refresh token is not valid");
      const { accountId: account_id, sessionId: session_id } = presented;
      const next = await newRefreshToken(account_id, session_id);
      const now = Date.now();
      const handled = await handle(account_id, {
        type: "Refresh",
        data: {
          account_id,
          session_id,
          presented_hash: presented.hash,
          refresh_hash: next.hash,
          expires_at: now + deps.refreshTtlSec * 1000,
          now,
          profile_id: profileId,
        },
      });
      if (handled.events.some((event) => event.type === "SessionEnded")) {
        throw new UnauthenticatedError(
          "this refresh token was already used: every token of its session is revoked, sign in again",
        );
      }
      return answer(account_id, session_id, handled.state, next.token);
    },

    async logOut(refreshToken: string): Promise<void> {
      const presented = await readRefreshToken(refreshToken);
      if (!presented) throw new UnauthenticatedError("the refresh token is not valid");
      const { state } = await loadAggregate(
        deps.store,
        accounts,
        presented.accountId,
        deps.snapshots,
      );
      const session = state.registered ? state.sessions[presented.sessionId] : undefined;
      // Only the holder of the session's current token may end it.
      if (session?.refreshHash !== presented.hash) return;
      await handle(presented.accountId, {
        type: "LogOut",
        data: { account_id: presented.accountId, session_id: presented.sessionId },
      });
    },

    async changePassword(accountId: string, current: string, replacement: string) {
      const { state } = await loadAggregate(deps.store, accounts, accountId, deps.snapshots);
      if (!state.registered) throw new NotFoundError(`account ${accountId} does not exist`);
      await handle(accountId, {
        type: "ChangePassword",
        data: {
          account_id: accountId,
          current_password_verified: await checkPassword(state, current),
          password_hash: await deps.hasher.hash(replacement),
        },
      });
    },

    async addProfile(accountId: string, name: string) {
      const profile_id = crypto.randomUUID();
      await handle(accountId, {
        type: "AddProfile",
        data: { account_id: accountId, profile_id, name },
      });
      return { profile_id, name };
    },
  };
}
