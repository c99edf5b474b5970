/**
 * Keys seen recently, to drop retried telemetry at the door: an event is a repeat if its id, or its
 * place in its session (session id and seq), was remembered. A best-effort filter with a time to
 * live: projections still deduplicate definitively.
 */
export interface RecentKeys {
  /** For each event, whether its id or its session and seq was remembered and has not expired. */
  seen(events: readonly EventKeys[]): Promise<boolean[]>;
  /** Remembers each event's id and its session and seq. */
  remember(events: readonly EventKeys[]): Promise<void>;
}

/**
 * An event's repeat keys, as the event carries them: fields rather than one joined string, so a
 * store may keep them without building (and hashing) new strings per event.
 */
export interface EventKeys {
  event_id: string;
  session_id: string;
  seq: number;
}
