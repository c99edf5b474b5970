/**
 * Ingesting a batch of playback events: each event is validated on its own (the valid ones are
 * accepted, the invalid ones listed back with reasons), enriched, filtered for repeats, and
 * appended to the telemetry log keyed by session. It resolves only once the log has durably
 * acknowledged the batch, so an accepted event is never lost.
 */
import type { JsonObject } from "../../domain/ports/event-store.ts";
import type { RecentKeys } from "../../domain/ports/recent-keys.ts";
import type { TelemetryLog } from "../../domain/ports/telemetry-log.ts";
import type { OnAccepted } from "./on-accepted.ts";
import type { IngestCounts } from "./metrics.ts";
import type { FieldIssue } from "../../domain/shared/errors.ts";
import { isoTimeFormatter } from "../../domain/shared/iso-time.ts";
import { fieldIssuesOf, parseInput } from "../../domain/shared/validation.ts";
import { correctedTime, deviceFrom } from "../../domain/telemetry/enrichment.ts";
import {
  parsePlaybackEvent,
  PlaybackBatch,
  type PlaybackEvent,
} from "../../domain/telemetry/playback-event.ts";

export interface IngestDeps {
  log: TelemetryLog;
  recent: RecentKeys;
  /** Most events one batch may carry. */
  maxEvents: number;
  /** Told of the records once stored (multi-device sync, positions cache). */
  onAccepted?: OnAccepted;
  /** Told each batch's outcome (/metrics). */
  counted?: IngestCounts;
}

/** Facts about the request the events came in. */
export interface IngestContext {
  receivedAt: number;
  userAgent?: string;
  /** From a trusted edge header (e.g. the CDN's), when configured; wins over the event's own. */
  country?: string;
  /** Who sends: from the access token, or the X-User-Id/X-Profile-Id headers with auth off. */
  userId?: string;
  profileId?: string;
}

export interface Rejection {
  index: number;
  event_id?: string;
  errors: FieldIssue[];
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
}

export class TooManyEventsError extends Error {
  override readonly name = "TooManyEventsError";
}

export async function ingestBatch(
  deps: IngestDeps,
  body: unknown,
  context: IngestContext,
): Promise<IngestResult> {
  const batch = parseInput(PlaybackBatch, body);
  if (batch.events.length > deps.maxEvents) {
    throw new TooManyEventsError(
      `a batch carries at most ${deps.maxEvents} events, got ${batch.events.length}`,
    );
  }
  const rejected: Rejection[] = [];
  const valid: PlaybackEvent[] = [];
  batch.events.forEach((raw, index) => {
    const result = parsePlaybackEvent(raw);
    const errors = result.success
      ? identityMismatches(result.output, context)
      : fieldIssuesOf(result.issues);
    if (errors.length === 0 && result.success) {
      valid.push(result.output);
    } else rejected.push({ index, event_id: idOf(raw), errors });
  });

  const fresh = await withoutRepeats(deps.recent, valid);
  if (fresh.length > 0) {
    const enrich = enricher(batch.sent_at, context);
    const records = fresh.map((event) => ({ key: event.session_id, value: enrich(event) }));
    await deps.log.append(records);
    await deps.onAccepted?.(records.map((record) => record.value));
    await deps.recent.remember(fresh);
  }
  const result = { accepted: valid.length, duplicates: valid.length - fresh.length, rejected };
  deps.counted?.(result);
  return result;
}

/** Events neither seen recently nor repeated within the batch (by event id or session/seq). */
async function withoutRepeats(
  recent: RecentKeys,
  events: PlaybackEvent[],
): Promise<PlaybackEvent[]> {
  const seen = await recent.seen(events);
  const ids = new Set<string>();
  // Seqs by session, the session looked up once per run of events of one session.
  const seqsBySession = new Map<string, Set<number>>();
  let session: string | undefined;
  let seqs = new Set<number>();
  return events.filter((event, i) => {
    if (event.session_id !== session) {
      session = event.session_id;
      seqs = seqsBySession.get(session) ?? new Set();
      seqsBySession.set(session, seqs);
    }
    const repeated = seen[i] || ids.has(event.event_id) || seqs.has(event.seq);
    ids.add(event.event_id);
    seqs.add(event.seq);
    return !repeated;
  });
}

/**
 * Events speak for the sender only: a user_id or profile_id other than the sender's (from the
 * access token, or the headers with AUTH_MODE=off) is refused; left out, the sender's is filled in.
 */
function identityMismatches(event: PlaybackEvent, context: IngestContext): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (
    context.userId !== undefined && event.user_id !== undefined && event.user_id !== context.userId
  ) {
    issues.push({ path: "user_id", message: "must be the signed-in user's id, or left out" });
  }
  if (
    context.profileId !== undefined && event.profile_id !== undefined &&
    event.profile_id !== context.profileId
  ) {
    issues.push({ path: "profile_id", message: "must be the signed-in profile's id, or left out" });
  }
  return issues;
}

/**
 * The stored record of an event: what the request says about all its events (receive time, device,
 * country, sender) is worked out once per batch. Absent optional fields stay absent.
 */
function enricher(
  sentAt: number | undefined,
  context: IngestContext,
): (event: PlaybackEvent) => JsonObject {
  const device = deviceFrom(context.userAgent);
  const receivedAt = new Date(context.receivedAt).toISOString();
  // One formatter per field: the corrected and the client's times lie in different seconds.
  const [serverTime, clientTime] = [isoTimeFormatter(), isoTimeFormatter()];
  return (event) => {
    const record: Record<string, unknown> = {};
    // for-in, not Object.entries: no array of [key, value] pairs per event for the GC.
    for (const key in event) setDefined(record, key, event[key as keyof PlaybackEvent]);
    record.timestamp = serverTime(correctedTime(event.timestamp, sentAt, context.receivedAt));
    record.client_timestamp = clientTime(event.timestamp);
    record.received_at = receivedAt;
    record.device_type = event.device_type ?? device.device_type;
    record.browser = device.browser;
    record.os = device.os;
    setDefined(record, "user_id", context.userId ?? event.user_id);
    setDefined(record, "profile_id", context.profileId ?? event.profile_id);
    setDefined(record, "country", context.country ?? event.country);
    return record as JsonObject;
  };
}

function setDefined(record: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) record[key] = value;
}

function idOf(raw: unknown): string | undefined {
  const id = (raw as { event_id?: unknown } | null)?.event_id;
  return typeof id === "string" ? id.slice(0, 64) : undefined;
}
