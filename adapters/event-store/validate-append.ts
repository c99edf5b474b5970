/**
 * The rules every event store adapter applies before it appends, so that a bad stream name or
 * payload gets the same clear error whichever store is behind the port.
 */
import { InvalidEventError, type NewEvent } from "../../domain/ports/event-store.ts";

/** Largest serialized data + metadata of one event; EventStoreDB's own limit is 1 MiB per append. */
export const MAX_EVENT_BYTES = 1_000_000;
const MAX_NAME_LENGTH = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Stream names are identifiers: printable, no whitespace, and no leading "$" (reserved for system streams).
const STREAM_NAME = /^[^\s$\p{Cc}][^\s\p{Cc}]*$/u;

export interface SerializedEvent {
  event: NewEvent;
  data: string;
  metadata: string;
}

/** Checks a whole batch and returns each event with its JSON text, or throws InvalidEventError. */
export function validateAppend(stream: string, events: readonly NewEvent[]): SerializedEvent[] {
  assertStreamName(stream);
  if (events.length === 0) throw new InvalidEventError("an append needs at least one event");
  const ids = new Set<string>();
  return events.map((event, index) => {
    const where = `event ${index} (${event.type})`;
    if (typeof event.event_id !== "string" || !UUID.test(event.event_id)) {
      throw new InvalidEventError(`${where}: event_id must be a UUID, got ${event.event_id}`);
    }
    if (ids.has(event.event_id.toLowerCase())) {
      throw new InvalidEventError(
        `${where}: event_id ${event.event_id} appears twice in the batch`,
      );
    }
    ids.add(event.event_id.toLowerCase());
    if (typeof event.type !== "string" || !event.type || event.type.length > MAX_NAME_LENGTH) {
      throw new InvalidEventError(`${where}: type must be 1-${MAX_NAME_LENGTH} characters`);
    }
    if (!Number.isInteger(event.schema_version) || event.schema_version < 1) {
      throw new InvalidEventError(`${where}: schema_version must be a positive integer`);
    }
    if (!isPlainObject(event.data)) {
      throw new InvalidEventError(`${where}: data must be a JSON object`);
    }
    if (event.metadata !== undefined && !isPlainObject(event.metadata)) {
      throw new InvalidEventError(`${where}: metadata must be a JSON object`);
    }
    const data = toStorableJson(event.data, `${where} data`);
    const metadata = toStorableJson(event.metadata ?? {}, `${where} metadata`);
    const bytes = utf8Size(data + metadata);
    if (bytes > MAX_EVENT_BYTES) {
      throw new InvalidEventError(
        `${where}: ${bytes} bytes, more than the ${MAX_EVENT_BYTES} allowed`,
      );
    }
    return { event, data, metadata };
  });
}

export function assertStreamName(stream: string): void {
  if (typeof stream !== "string" || stream.length === 0 || stream.length > MAX_NAME_LENGTH) {
    throw new InvalidEventError(`stream name must be 1-${MAX_NAME_LENGTH} characters`);
  }
  if (!STREAM_NAME.test(stream)) {
    throw new InvalidEventError(
      `stream name "${stream}" must not contain whitespace or control characters nor start with "$"`,
    );
  }
}

/**
 * JSON text of `value`, refusing what PostgreSQL's jsonb (and so the store) cannot hold: NUL
 * characters, unpaired surrogates and non-finite numbers (JSON.stringify would make them null).
 */
function toStorableJson(value: unknown, where: string): string {
  assertStorable(value, where);
  return JSON.stringify(value);
}

function assertStorable(value: unknown, path: string): void {
  switch (typeof value) {
    case "string":
      if (value.includes("\u0000") || !value.isWellFormed()) {
        throw new InvalidEventError(`${path}: text with a NUL or unpaired surrogate`);
      }
      return;
    case "number":
      if (!Number.isFinite(value)) {
        throw new InvalidEventError(`${path}: ${value} is not a JSON number`);
      }
      return;
    case "bigint":
      throw new InvalidEventError(`${path}: bigint is not a JSON number`);
    case "object":
      if (value === null) return;
      if (Array.isArray(value)) value.forEach((item, i) => assertStorable(item, `${path}.${i}`));
      else {for (const key in value) {
          assertStorable((value as Record<string, unknown>)[key], `${path}.${key}`);
        }}
  }
}

/**
 * The UTF-8 size of `text`, encoded only when it could pass the limit: a UTF-16 unit takes at most
 * 3 bytes, so short text is under it whatever it holds (and its exact size does not matter).
 */
function utf8Size(text: string): number {
  return text.length * 3 <= MAX_EVENT_BYTES ? text.length : new TextEncoder().encode(text).length;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
