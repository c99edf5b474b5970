/** Telemetry ingest counts for /metrics. */
import type { Metrics } from "../../domain/ports/metrics.ts";
import type { IngestResult } from "./ingest.ts";

export type IngestCounts = (result: IngestResult) => void;

/** Counts each batch's events by outcome: accepted (stored), duplicate (dropped), rejected. */
export function ingestCounts(metrics: Metrics): IngestCounts {
  const events = metrics.counter({
    name: "telemetry_events_total",
    help: "Playback telemetry events received, by outcome (accepted, duplicate, rejected)",
  });
  return ({ accepted, duplicates, rejected }) => {
    events.inc({ outcome: "accepted" }, accepted - duplicates);
    events.inc({ outcome: "duplicate" }, duplicates);
    events.inc({ outcome: "rejected" }, rejected.length);
  };
}
