/**
 * Accounts and sign-in (seed 003, tokens and device limit from seed 004):
 * POST /v1/auth/register|login|refresh|logout|password, POST /v1/accounts (admins create accounts
 * with any role), POST /v1/me/profiles. Who may call each is in adapters/http/access-policy.ts.
 */
import { type Context, Hono } from "hono";
import { describeRoute, resolver, validator } from "hono-openapi";
import type * as v from "valibot";
import { throwIfInvalid } from "../../domain/shared/validation.ts";
import { commandMetadata } from "../http-context.ts";
import { identityOf } from "../identity.ts";
import {
  CreateAccountBody,
  LoginBody,
  LogoutBody,
  PasswordBody,
  ProfileBody,
  RefreshBody,
  RegisterBody,
  SignedInAnswer,
} from "./schemas.ts";
import { signIn, type SignInDeps } from "./sign-in.ts";

const tags = ["accounts"];
const problem = (description: string) => ({ description });
const answer = (description: string, schema?: v.GenericSchema) => ({
  description,
  ...(schema ? { content: { "application/json": { schema: resolver(schema) } } } : {}),
});
const body = (schema: v.GenericSchema) => ({
  content: { "application/json": { schema: resolver(schema) } },
});
const flow = (c: Context, deps: SignInDeps) => signIn(deps, commandMetadata(c));

export function authRoutes(deps: SignInDeps): Hono {
  return new Hono()
    .post(
      "/register",
      describeRoute({
        tags,
        summary: "Create a viewer account",
        requestBody: body(RegisterBody),
        responses: {
          201: answer("The account"),
          400: problem("Bad e-mail or too short a password"),
          409: problem("An account with this e-mail exists"),
        },
      }),
      validator("json", RegisterBody, throwIfInvalid),
      async (c) => {
        const { email, password } = c.req.valid("json");
        return c.json(await flow(c, deps).register(email, password, "viewer"), 201);
      },
    )
    .post(
      "/login",
      describeRoute({
        tags,
        summary: "Sign in on a device: a short-lived access token and a rotating refresh token",
        description: `At most ${deps.maxDevices} devices per account at once (409 beyond); ` +
          "signing in again on a device replaces its session. Repeated failures are slowed down.",
        requestBody: body(LoginBody),
        responses: {
          200: answer("Signed in", SignedInAnswer),
          401: problem("Wrong e-mail or password"),
          409: problem("The device limit is reached"),
          429: problem("Too many attempts; retry after Retry-After"),
        },
      }),
      validator("json", LoginBody, throwIfInvalid),
      async (c) => c.json(await flow(c, deps).logIn(c.req.valid("json"))),
    )
    .post(
      "/refresh",
      describeRoute({
        tags,
        summary: "Trade a refresh token for new tokens; a used one revokes its whole session",
        requestBody: body(RefreshBody),
        responses: {
          200: answer("New tokens", SignedInAnswer),
          401: problem("Unknown, expired, revoked or reused refresh token"),
        },
      }),
      validator("json", RefreshBody, throwIfInvalid),
      async (c) => {
        const { refresh_token, profile_id } = c.req.valid("json");
        return c.json(await flow(c, deps).refresh(refresh_token, profile_id));
      },
    )
    .post(
      "/logout",
      describeRoute({
        tags,
        summary: "End the refresh token's session (the access token lapses within minutes)",
        requestBody: body(LogoutBody),
        responses: { 204: answer("Signed out"), 401: problem("Not a refresh token") },
      }),
      validator("json", LogoutBody, throwIfInvalid),
      async (c) => {
        await flow(c, deps).logOut(c.req.valid("json").refresh_token);
        return c.body(null, 204);
      },
    )
    .post(
      "/password",
      describeRoute({
        tags,
        summary: "Change the password; every session of the account is signed out",
        requestBody: body(PasswordBody),
        responses: { 204: answer("Changed"), 401: problem("Wrong current password") },
      }),
      validator("json", PasswordBody, throwIfInvalid),
      async (c) => {
        const { current_password, new_password } = c.req.valid("json");
        await flow(c, deps).changePassword(identityOf(c).userId, current_password, new_password);
        return c.body(null, 204);
      },
    );
}

export function accountRoutes(deps: SignInDeps): Hono {
  return new Hono().post(
    "/",
    describeRoute({
      tags,
      summary: "Create an account with a role (admins)",
      requestBody: body(CreateAccountBody),
      responses: { 201: answer("The account"), 409: problem("An account with this e-mail exists") },
    }),
    validator("json", CreateAccountBody, throwIfInvalid),
    async (c) => {
      const { email, password, role } = c.req.valid("json");
      return c.json(await flow(c, deps).register(email, password, role), 201);
    },
  );
}

export function profileRoutes(deps: SignInDeps): Hono {
  return new Hono().post(
    "/profiles",
    describeRoute({
      tags,
      summary: "Add a profile to the signed-in account (sign in or refresh with its profile_id)",
      requestBody: body(ProfileBody),
      responses: { 201: answer("The profile"), 409: problem("Name taken or too many profiles") },
    }),
    validator("json", ProfileBody, throwIfInvalid),
    async (c) => {
      const profile = await flow(c, deps).addProfile(
        identityOf(c).userId,
        c.req.valid("json").name,
      );
      return c.json(profile, 201);
    },
  );
}
