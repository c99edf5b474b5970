/**
 * The rows a VideoCreated or ShowCreated starts, with every column of their table in table order
 * (absent fields null). Rows of one shape are cheaper to copy on each later event and to serialize
 * for the write than rows shaped by whichever optional fields an event happened to carry.
 */
import type { RecordedEvent } from "../../domain/ports/event-store.ts";

export type Row = Record<string, unknown> & { id: string; version: number };

export function newVideoRow(event: RecordedEvent, showTitle: unknown): Row {
  const data = event.data as Record<string, unknown>;
  return {
    id: String(data.video_id),
    content_type: data.content_type ?? null,
    title: data.title ?? null,
    description: data.description ?? null,
    genre: data.genre ?? null,
    release_year: data.release_year ?? null,
    rating: data.rating ?? null,
    duration_sec: data.duration_sec ?? null,
    tags: data.tags ?? [],
    show_id: data.show_id ?? null,
    show_title: showTitle ?? null,
    season_number: data.season_number ?? null,
    episode_number: data.episode_number ?? null,
    geo_restriction: null,
    status: "published",
    version: event.stream_version,
    created_at: event.recorded_at,
    updated_at: event.recorded_at,
  };
}

export function newShowRow(event: RecordedEvent): Row {
  const data = event.data as Record<string, unknown>;
  return {
    id: String(data.show_id),
    title: data.title ?? null,
    description: data.description ?? null,
    genre: data.genre ?? null,
    release_year: data.release_year ?? null,
    rating: data.rating ?? null,
    tags: data.tags ?? [],
    status: "published",
    version: event.stream_version,
    created_at: event.recorded_at,
    updated_at: event.recorded_at,
  };
}
