/**
 * The ended-sessions port: sign-in sessions ended (logout, password change, a stolen refresh token,
 * the device signing in again) while access tokens issued to them may still be valid. Access tokens
 * are verified by signature alone, so without this list a logged-out token would keep working until
 * it expires. Entries need to outlive only the longest access token.
 */
export interface EndedSessions {
  /** Remembers the sessions as ended, for as long as an access token lives. */
  end(sessionIds: readonly string[]): Promise<void>;
  /** Whether the session was ended within an access token's lifetime. */
  has(sessionId: string): Promise<boolean>;
}
