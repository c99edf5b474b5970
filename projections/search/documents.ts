/**
 * The search documents as the catalog events describe them, shared by both search projections
 * (SQL and Meilisearch): load the documents and shows a batch touches, apply the batch here in
 * memory, write back what changed. Each change is guarded by the stream version it comes from, so
 * applying events again (a redelivered batch) changes nothing.
 */
import { statusAfter } from "../../domain/catalog/status.ts";
import { metadataEntries } from "../../domain/catalog/values.ts";
import type { RecordedEvent } from "../../domain/ports/event-store.ts";
import type { Availability, SearchDocument } from "../../domain/ports/search.ts";

/** What the index needs of a show to describe its episodes. */
export interface ShowRecord {
  id: string;
  title: string;
  status: Availability;
  version: number;
}

export const SEARCH_EVENT_TYPES = [
  "VideoCreated",
  "VideoMetadataUpdated",
  "VideoPublished",
  "VideoUnpublished",
  "VideoDeleted",
  "ShowCreated",
  "ShowMetadataUpdated",
  "ShowPublished",
  "ShowUnpublished",
  "ShowDeleted",
] as const;

/** The fields a metadata change may set (as the catalog's MetadataChanges allows). */
const EDITABLE = [...Object.keys(metadataEntries), "duration_sec"] as (keyof SearchDocument)[];

type Data = Record<string, unknown>;

/** Ids a batch touches: its videos, its shows, and the shows whose episodes change with them. */
export function touchedBy(events: readonly RecordedEvent[]) {
  const videoIds = new Set<string>();
  const showIds = new Set<string>();
  const showsWithEpisodes = new Set<string>();
  for (const { type, data } of events) {
    if (typeof data.video_id === "string") videoIds.add(data.video_id);
    if (typeof data.show_id === "string") showIds.add(data.show_id);
    if (type.startsWith("Show") && type !== "ShowCreated") {
      showsWithEpisodes.add(String(data.show_id));
    }
  }
  return {
    videoIds: [...videoIds],
    showIds: [...showIds],
    showsWithEpisodes: [...showsWithEpisodes],
  };
}

/**
 * Applies `events` to the loaded documents and shows (changed in place) and returns the ones that
 * changed. Documents must include every episode of the shows in `touchedBy(...).showsWithEpisodes`.
 */
export function applySearchEvents(
  documents: Map<string, SearchDocument>,
  shows: Map<string, ShowRecord>,
  events: readonly RecordedEvent[],
): { documents: SearchDocument[]; shows: ShowRecord[] } {
  const changedDocuments = new Set<string>();
  const changedShows = new Set<string>();
  for (const event of events) {
    const data = event.data as Data;
    if (event.type.startsWith("Video")) {
      const id = String(data.video_id);
      const next = evolveDocument(documents.get(id), event, data, shows);
      if (next) {
        documents.set(id, next);
        changedDocuments.add(id);
      }
      continue;
    }
    const id = String(data.show_id);
    const show = evolveShow(shows.get(id), event, data);
    if (!show) continue;
    shows.set(id, show);
    changedShows.add(id);
    for (const document of documents.values()) {
      if (document.show_id !== id || document.show_version >= show.version) continue;
      documents.set(document.id, withShow(document, show));
      changedDocuments.add(document.id);
    }
  }
  return {
    documents: [...changedDocuments].map((id) => documents.get(id)!),
    shows: [...changedShows].map((id) => shows.get(id)!),
  };
}

function evolveDocument(
  current: SearchDocument | undefined,
  event: RecordedEvent,
  data: Data,
  shows: Map<string, ShowRecord>,
): SearchDocument | undefined {
  if (event.type === "VideoCreated") {
    if (current) return undefined;
    const show = typeof data.show_id === "string" ? shows.get(data.show_id) : undefined;
    const created: SearchDocument = {
      id: String(data.video_id),
      content_type: String(data.content_type),
      title: String(data.title),
      description: text(data.description),
      genre: text(data.genre),
      tags: Array.isArray(data.tags) ? data.tags.map(String) : [],
      release_year: number(data.release_year),
      rating: text(data.rating),
      duration_sec: number(data.duration_sec),
      show_id: text(data.show_id),
      show_title: null,
      season_number: number(data.season_number),
      episode_number: number(data.episode_number),
      status: "published",
      show_status: null,
      availability: "published",
      version: event.stream_version,
      show_version: 0,
      created_at: Math.floor(Date.parse(event.recorded_at) / 1000),
    };
    return show ? withShow(created, show) : created;
  }
  if (!current || current.version >= event.stream_version) return undefined;
  const next: SearchDocument = { ...current, version: event.stream_version };
  if (event.type === "VideoMetadataUpdated") {
    const changes = (data.changes ?? {}) as Data;
    for (const field of EDITABLE) {
      if (!(field in changes)) continue;
      const value = changes[field];
      if (field === "tags") next.tags = Array.isArray(value) ? value.map(String) : [];
      else if (field === "title") next.title = String(value);
      else if (field === "release_year" || field === "duration_sec") next[field] = number(value);
      else if (field === "description" || field === "genre" || field === "rating") {
        next[field] = text(value);
      }
    }
    return next;
  }
  next.status = statusAfter(event.type);
  next.availability = combined(next.status, next.show_status);
  return next;
}

function evolveShow(
  current: ShowRecord | undefined,
  event: RecordedEvent,
  data: Data,
): ShowRecord | undefined {
  if (event.type === "ShowCreated") {
    if (current) return undefined;
    const id = String(data.show_id);
    return { id, title: String(data.title), status: "published", version: event.stream_version };
  }
  if (!current || current.version >= event.stream_version) return undefined;
  if (event.type === "ShowMetadataUpdated") {
    const title = ((data.changes ?? {}) as Data).title;
    return {
      ...current,
      title: typeof title === "string" ? title : current.title,
      version: event.stream_version,
    };
  }
  return { ...current, status: statusAfter(event.type), version: event.stream_version };
}

function withShow(document: SearchDocument, show: ShowRecord): SearchDocument {
  return {
    ...document,
    show_title: show.title,
    show_status: show.status,
    show_version: show.version,
    availability: combined(document.status, show.status),
  };
}

/** Deleted if either is, unpublished if either is, else published. */
function combined(status: Availability, showStatus: Availability | null): Availability {
  const both = [status, showStatus ?? "published"];
  if (both.includes("deleted")) return "deleted";
  return both.includes("unpublished") ? "unpublished" : "published";
}

const text = (value: unknown) => typeof value === "string" ? value : null;
const number = (value: unknown) => typeof value === "number" ? value : null;
