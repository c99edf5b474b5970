/** Every migration of the PostgreSQL schema, in version order. Append new ones; never edit old ones. */
import type { Migration } from "../migrate.ts";
import { eventStore } from "./001-event-store.ts";
import { appendFunction } from "./002-append-function.ts";
import { telemetryLog } from "./003-telemetry-log.ts";
import { projections } from "./004-projections.ts";
import { searchExtensions } from "./005-search-extensions.ts";
import { appendManyFunction } from "./006-append-many-function.ts";
import { aggregateSnapshots } from "./007-aggregate-snapshots.ts";
import { eventsJson } from "./008-events-json.ts";
import { sessionsWithoutEvents } from "./009-sessions-without-events.ts";

export const migrations: readonly Migration[] = [
  eventStore,
  appendFunction,
  telemetryLog,
  projections,
  searchExtensions,
  appendManyFunction,
  aggregateSnapshots,
  eventsJson,
  sessionsWithoutEvents,
];
