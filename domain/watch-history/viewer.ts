/**
 * Who is watching: a user and one of their profiles. History, positions and next up are kept per
 * viewer, so two profiles of one account never see each other's progress.
 */
import * as v from "valibot";

export interface Viewer {
  userId: string;
  profileId: string;
}

/**
 * The profile of a user who has not chosen one (no X-Profile-Id, or a telemetry event without
 * profile_id). Playback and reads without a profile then meet in the same history.
 */
export const DEFAULT_PROFILE = "default";

const identifier = (name: string) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.nonEmpty(`${name} must not be empty`),
    v.maxLength(128, `${name} is at most 128 characters`),
  );

/** The identity a request carries; the same limits as user_id and profile_id of playback events. */
export const ViewerIds = v.object({
  "X-User-Id": identifier("X-User-Id"),
  "X-Profile-Id": v.optional(identifier("X-Profile-Id"), DEFAULT_PROFILE),
});

/** A content id as players send it in telemetry (content_id): any text of 1 to 128 characters. */
export const ContentId = identifier("content id");
