/**
 * The rows a VideoCreated or ShowCreated starts, with every column of their table in table order.
 * Rows of one shape are cheaper to copy on each later event and to serialize for the write than
 * rows shaped by whichever optional fields an event happened to carry. An absent field is
 * undefined, not null: JSON leaves it out, which the write reads as null, and the server then has
 * fewer keys to parse (nulls spelled out cost it more than the shape saved here).
 */
import type { RecordedEvent } from "../../domain/ports/event-store.ts";

export type Row = Record<string, unknown> & { id: string; version: number };

export function newVideoRow(event: RecordedEvent, showTitle: unknown): Row {
  const data = event.data as Record<string, unknown>;
  return {
    id: String(data.video_id),
    content_type: data.content_type,
    title: data.title,
    description: data.description,
    genre: data.genre,
    release_year: data.release_year,
    rating: data.rating,
    duration_sec: data.duration_sec,
    tags: data.tags ?? [],
    show_id: data.show_id,
    show_title: showTitle,
    season_number: data.season_number,
    episode_number: data.episode_number,
    geo_restriction: undefined,
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
    title: data.title,
    description: data.description,
    genre: data.genre,
    release_year: data.release_year,
    rating: data.rating,
    tags: data.tags ?? [],
    status: "published",
    version: event.stream_version,
    created_at: event.recorded_at,
    updated_at: event.recorded_at,
  };
}
