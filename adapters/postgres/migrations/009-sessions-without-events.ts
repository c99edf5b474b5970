import type { Migration } from "../migrate.ts";

/**
 * The events table refuses inserts from the sessions that readers of the log do not wait for
 * (sessions-without-events.ts; the names are spelled out here, as a migration never changes). A
 * statement trigger: it runs once per append, whatever the number of events.
 */
export const sessionsWithoutEvents: Migration = {
  version: 9,
  name: "sessions without events",
  sql: `
    CREATE FUNCTION refuse_events_of_sessions_without_events() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF current_setting('application_name') IN
        ('event-store-commit-announcer', 'streaming-read-models') THEN
        RAISE EXCEPTION 'a session named "%" writes no events', current_setting('application_name')
          USING ERRCODE = 'insufficient_privilege',
            HINT = 'Readers of the log do not wait for its transactions: append through the event store''s own client.';
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER events_not_from_sessions_without_events BEFORE INSERT ON events
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_events_of_sessions_without_events();
  `,
};
