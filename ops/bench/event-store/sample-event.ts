/** The event every case appends: a typical small event, about 260 bytes of JSON. */
import type { NewEvent } from "../../../domain/ports/event-store.ts";

export function sampleEvent(): NewEvent {
  return {
    event_id: crypto.randomUUID(),
    type: "PlaybackProgressed",
    schema_version: 1,
    data: {
      video_id: crypto.randomUUID(),
      position_ms: Math.floor(Math.random() * 3_600_000),
      quality: "1080p",
      device: { kind: "web", app_version: "1.42.0" },
    },
    metadata: {
      correlation_id: crypto.randomUUID(),
      actor: "user:bench",
      received_at: new Date().toISOString(),
    },
  };
}
