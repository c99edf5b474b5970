import { deciderSpec } from "../shared/decider-spec.ts";
import { ConflictError, NotFoundError, UnauthenticatedError } from "../shared/errors.ts";
import { accountDecider, DeviceLimitError } from "./account.ts";
import type { AccountEvent } from "./events.ts";

const spec = deciderSpec(accountDecider);
const account_id = "acc-1";
const now = 1_000_000;
const later = now + 60_000;
const registered: AccountEvent = {
  type: "AccountRegistered",
  data: { account_id, email: "ada@example.com", role: "viewer", password_hash: "h1" },
};
const started = (session_id: string, device_id: string, refresh_hash = `r-${session_id}`) => ({
  type: "SessionStarted" as const,
  data: {
    account_id,
    session_id,
    device_id,
    profile_id: "default",
    refresh_hash,
    expires_at: later,
  },
});
const logIn = (session_id: string, device_id: string, password_verified = true) => ({
  type: "LogIn" as const,
  data: {
    account_id,
    password_verified,
    session_id,
    device_id,
    profile_id: "default",
    refresh_hash: `r-${session_id}`,
    expires_at: later,
    now,
    max_devices: 3,
  },
});
const refresh = (presented_hash: string, refresh_hash: string) => ({
  type: "Refresh" as const,
  data: { account_id, session_id: "s1", presented_hash, refresh_hash, expires_at: later, now },
});
const rotated: AccountEvent = {
  type: "SessionRefreshed",
  data: {
    account_id,
    session_id: "s1",
    profile_id: "default",
    refresh_hash: "r2",
    expires_at: later,
  },
};
const ended = (
  session_id: string,
  reason: "logout" | "replaced" | "password_changed" | "refresh_token_reused",
): AccountEvent => ({
  type: "SessionEnded",
  data: { account_id, session_id, reason },
});

Deno.test("an e-mail registers one account", () => {
  spec.given([]).when({ type: "Register", data: registered.data }).then([registered]);
  spec.given([registered]).when({ type: "Register", data: registered.data })
    .thenThrows(ConflictError, "already exists");
});

Deno.test("logging in needs the right password and an existing account", () => {
  spec.given([registered]).when(logIn("s1", "phone")).then([started("s1", "phone")]);
  spec.given([registered]).when(logIn("s1", "phone", false))
    .thenThrows(UnauthenticatedError, "email or the password is wrong");
  spec.given([]).when(logIn("s1", "phone"))
    .thenThrows(UnauthenticatedError, "email or the password is wrong");
});

Deno.test("a fourth device is refused with the limit named; the same device replaces its session", () => {
  const three = [registered, started("s1", "a"), started("s2", "b"), started("s3", "c")];
  spec.given(three).when(logIn("s4", "d")).thenThrows(DeviceLimitError, "at most 3 devices");
  spec.given(three).when(logIn("s4", "b")).then([ended("s2", "replaced"), started("s4", "b")]);
  spec.given([...three, ended("s1", "logout")]).when(logIn("s4", "d")).then([started("s4", "d")]);
});

Deno.test("expired sessions do not count towards the device limit", () => {
  const expired = { ...started("s1", "a"), data: { ...started("s1", "a").data, expires_at: now } };
  spec.given([registered, expired, started("s2", "b"), started("s3", "c")])
    .when(logIn("s4", "d")).then([started("s4", "d")]);
});

Deno.test("a refresh token rotates: the current one refreshes, then it is spent", () => {
  spec.given([registered, started("s1", "a", "r1")]).when(refresh("r1", "r2")).then([rotated]);
  spec.given([registered, started("s1", "a", "r1")]).when(refresh("forged", "r2"))
    .thenThrows(UnauthenticatedError, "not valid");
});

Deno.test("a rotated refresh token coming back revokes its family", () => {
  const history = [registered, started("s1", "a", "r1"), rotated];
  spec.given(history).when(refresh("r1", "r3")).then([ended("s1", "refresh_token_reused")]);
  spec.given([...history, ended("s1", "refresh_token_reused")]).when(refresh("r2", "r3"))
    .thenThrows(UnauthenticatedError, "sign in again");
});

Deno.test("an expired session does not refresh", () => {
  spec.given([registered, started("s1", "a", "r1")])
    .when({ ...refresh("r1", "r2"), data: { ...refresh("r1", "r2").data, now: later } })
    .thenThrows(UnauthenticatedError, "sign in again");
});

Deno.test("logout ends the session once", () => {
  const history = [registered, started("s1", "a")];
  const logOut = { type: "LogOut" as const, data: { account_id, session_id: "s1" } };
  spec.given(history).when(logOut).then([ended("s1", "logout")]);
  spec.given([...history, ended("s1", "logout")]).when(logOut).then([]);
});

Deno.test("a password change needs the current password and ends every session", () => {
  const change = (current_password_verified: boolean) => ({
    type: "ChangePassword" as const,
    data: { account_id, current_password_verified, password_hash: "h2" },
  });
  spec.given([registered, started("s1", "a"), started("s2", "b")]).when(change(true)).then([
    { type: "PasswordChanged", data: { account_id, password_hash: "h2" } },
    ended("s1", "password_changed"),
    ended("s2", "password_changed"),
  ]);
  spec.given([registered]).when(change(false)).thenThrows(UnauthenticatedError, "current password");
});

Deno.test("profiles have distinct names, and sessions only use existing ones", () => {
  const add = (profile_id: string, name: string) => ({
    type: "AddProfile" as const,
    data: { account_id, profile_id, name },
  });
  const kids: AccountEvent = {
    type: "ProfileAdded",
    data: { account_id, profile_id: "p1", name: "Kids" },
  };
  spec.given([registered]).when(add("p1", "Kids")).then([kids]);
  spec.given([registered, kids]).when(add("p2", "kids")).thenThrows(
    ConflictError,
    "already exists",
  );
  const asKids = { ...logIn("s1", "a"), data: { ...logIn("s1", "a").data, profile_id: "p1" } };
  spec.given([registered]).when(asKids).thenThrows(NotFoundError, "profile p1");
  spec.given([registered, kids]).when(asKids).then([
    { type: "SessionStarted", data: { ...started("s1", "a").data, profile_id: "p1" } },
  ]);
});
