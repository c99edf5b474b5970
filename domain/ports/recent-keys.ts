/**
 * Keys seen recently (event ids, session/seq pairs), to drop retried telemetry at the door. A
 * best-effort filter with a time-to-live: projections still deduplicate definitively.
 */
export interface RecentKeys {
  /** For each key, whether it was remembered and has not expired. */
  seen(keys: readonly string[]): Promise<boolean[]>;
  remember(keys: readonly string[]): Promise<void>;
}
