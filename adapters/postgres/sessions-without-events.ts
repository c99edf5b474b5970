/**
 * Sessions that write no events, known by their application_name. Readers of the log wait for every
 * transaction of the database older than an event, since any could still commit events before it;
 * they leave out the transactions of these sessions (event-store.ts, SETTLED), and the events table
 * refuses these sessions' inserts (migration 009), so that leaving them out can never skip an event.
 */
import { ANNOUNCER_APPLICATION } from "./commit-announcer.ts";

/**
 * The sessions of the read models' client (main.ts): projections apply batches, rebuild and sweep
 * in transactions of their own, some of them long, and the log's readers need not wait for them.
 */
export const READ_MODEL_APPLICATION = "streaming-read-models";

export const SESSIONS_WITHOUT_EVENTS: readonly string[] = [
  ANNOUNCER_APPLICATION,
  READ_MODEL_APPLICATION,
];
