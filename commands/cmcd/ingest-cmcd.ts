/**
 * CMCD payloads become playback events and go through the one ingest path (ingestBatch):
 * validation, enrichment, the repeat filter and the durable append are those of POST /v1/events.
 *
 * CMCD carries no event id, and v1 no sequence number: both are derived from a hash of the payload
 * and where it came from (the segment's path, or "event" for event mode), so a player's retry of
 * the same report is dropped as a repeat while two different reports never are.
 */
import type { CmcdLine } from "../../domain/ports/cmcd-decoder.ts";
import { playbackEventFromCmcd } from "../../domain/telemetry/from-cmcd.ts";
import {
  ingestBatch,
  type IngestContext,
  type IngestDeps,
  type IngestResult,
} from "../telemetry/ingest.ts";

export interface CmcdSource {
  /** Where the payloads came from (a segment path, "event"): part of their identity. */
  scope: string;
  /** The content a segment route serves, used when a payload has no `cid`. */
  contentId?: string;
}

export async function ingestCmcd(
  deps: IngestDeps,
  lines: readonly CmcdLine[],
  source: CmcdSource,
  context: IngestContext,
): Promise<IngestResult> {
  const unreadable: IngestResult["rejected"] = [];
  const events: Record<string, unknown>[] = [];
  const lineOf: number[] = []; // event index → line index
  for (const [index, line] of lines.entries()) {
    if ("error" in line) {
      unreadable.push({ index, errors: [{ path: "", message: line.error }] });
      continue;
    }
    const { eventId, seq } = await identityOf(source.scope, context.userId, line.data);
    events.push(playbackEventFromCmcd(line.data, {
      eventId,
      fallbackSeq: seq,
      receivedAt: context.receivedAt,
      contentId: source.contentId,
    }));
    lineOf.push(index);
  }
  if (events.length === 0) return { accepted: 0, duplicates: 0, rejected: unreadable };
  const result = await ingestBatch(deps, { events }, context);
  const rejected = [
    ...unreadable,
    ...result.rejected.map((rejection) => ({ ...rejection, index: lineOf[rejection.index]! })),
  ].sort((a, b) => a.index - b.index);
  return { ...result, rejected };
}

/** A UUID (version 8: custom) and a sequence number from SHA-256 of the payload and its origin. */
async function identityOf(scope: string, userId: string | undefined, data: object) {
  const text = JSON.stringify([scope, userId ?? null, sortedEntries(data)]);
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  digest[6] = (digest[6]! & 0x0f) | 0x80;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = [...digest.subarray(0, 16)].map((byte) => byte.toString(16).padStart(2, "0"))
    .join("");
  const eventId = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20)]
    .concat(hex.slice(20, 32)).join("-");
  const seq = new DataView(digest.buffer).getUint32(16) % 1_000_000_000;
  return { eventId, seq };
}

function sortedEntries(data: object): [string, unknown][] {
  return Object.entries(data).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
}
