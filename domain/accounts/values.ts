/** The value objects of accounts: roles, e-mail addresses, passwords and profile names. */
import * as v from "valibot";

/** admin: everything; editor: catalog and uploads; viewer: browse, play, their own history. */
export const ROLES = ["admin", "editor", "viewer"] as const;
export const Role = v.picklist(ROLES, "role must be admin, editor or viewer");
export type Role = v.InferOutput<typeof Role>;

export const Email = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(254, "email is at most 254 characters"),
  v.email("email must be an e-mail address"),
);

/** Long passphrases welcome; the upper bound keeps hashing cheap to refuse. */
export const Password = v.pipe(
  v.string(),
  v.minLength(10, "password must have at least 10 characters"),
  v.maxLength(256, "password is at most 256 characters"),
);

export const ProfileName = v.pipe(
  v.string(),
  v.trim(),
  v.nonEmpty("name must not be empty"),
  v.maxLength(60, "name is at most 60 characters"),
);

/** Device ids are chosen by clients (an app install id); the same limits as other ids. */
export const DeviceId = v.pipe(
  v.string(),
  v.trim(),
  v.nonEmpty("device_id must not be empty"),
  v.maxLength(128, "device_id is at most 128 characters"),
);

/** Profiles an account may hold besides the default one. */
export const MAX_PROFILES = 5;
