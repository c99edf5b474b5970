/** Request bodies of the account routes (strict: unknown fields are refused). */
import * as v from "valibot";
import { DeviceId, Email, Password, ProfileName, Role } from "../../domain/accounts/values.ts";

const ProfileId = v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(128));
const RefreshTokenText = v.pipe(v.string(), v.nonEmpty("refresh_token must not be empty"));

export const RegisterBody = v.strictObject({ email: Email, password: Password });
export const CreateAccountBody = v.strictObject({ email: Email, password: Password, role: Role });
export const LoginBody = v.strictObject({
  email: Email,
  // Any length here: a login only compares, and the same answer for every wrong password.
  password: v.pipe(v.string(), v.maxLength(256)),
  device_id: DeviceId,
  profile_id: v.optional(ProfileId),
});
export const RefreshBody = v.strictObject({
  refresh_token: RefreshTokenText,
  /** Switch the session to another profile of the account. */
  profile_id: v.optional(ProfileId),
});
export const LogoutBody = v.strictObject({ refresh_token: RefreshTokenText });
export const PasswordBody = v.strictObject({
  current_password: v.pipe(v.string(), v.maxLength(256)),
  new_password: Password,
});
export const ProfileBody = v.strictObject({ name: ProfileName });

export const SignedInAnswer = v.object({
  access_token: v.string(),
  token_type: v.literal("Bearer"),
  expires_in: v.number(),
  refresh_token: v.string(),
  refresh_expires_in: v.number(),
  user_id: v.string(),
  profile_id: v.string(),
  role: Role,
  profiles: v.array(v.object({ profile_id: v.string(), name: v.string() })),
});
