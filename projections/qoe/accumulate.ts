/**
 * Folds one batch of telemetry into 1-minute cells: each event steps its session, then adds what
 * it contributes to its minute, unless the partition's watermark has closed it (then it counts in
 * `late_dropped`). Cells are keyed by minute and by the session's content, country, CDN PoP and
 * device type, so any window or breakdown is a sum over cells.
 */
import type { QuantileSketch, QuantileSketches } from "../../domain/ports/quantile-sketch.ts";
import type { LoggedRecord } from "../../domain/ports/telemetry-log.ts";
import type { QoeCounters } from "../../domain/qoe/metrics.ts";
import {
  emptyDelta,
  isRepeat,
  newSession,
  type QoeDelta,
  qoeEventOf,
  type QoeSession,
  stepSession,
} from "../../domain/qoe/session-step.ts";
import { CELL_SEC, isClosed, windowStart } from "../../domain/qoe/windows.ts";
import { COUNTER_COLUMNS, type Dimension } from "./tables.ts";

export type CellKey = { window_start: string } & Record<Dimension, string>;
export interface Cell {
  key: CellKey;
  counters: QoeCounters;
  /** Start times of this batch only; merged with the stored sketch when written. */
  vst: QuantileSketch | null;
}
export type ViewerRow = CellKey & { viewer: string };

export interface BatchState {
  sessions: Map<string, QoeSession>;
  /** Per partition, the latest event time seen (epoch ms). */
  watermarks: Map<number, number>;
  cells: Map<string, Cell>;
  viewers: ViewerRow[];
}

export interface AccumulateOptions {
  sketches: QuantileSketches;
  allowedLatenessSec: number;
}

export function accumulate(
  state: BatchState,
  records: readonly LoggedRecord[],
  options: AccumulateOptions,
): void {
  // Each session's last cell: most of its events fall in the same minute, found without a key.
  const lastCells = new Map<string, { start: number; cell: Cell }>();
  for (const record of records) {
    const event = qoeEventOf(record.value);
    if (!event) continue;
    const before = state.sessions.get(event.session_id) ?? newSession(event);
    if (isRepeat(before, event)) continue;
    const [session, delta] = stepSession(before, event);
    const watermark = state.watermarks.get(record.partition) ?? 0;
    const start = windowStart(event.at_ms, CELL_SEC);
    let last = lastCells.get(session.session_id);
    if (last?.start !== start) {
      last = { start, cell: cellOf(state, session, start) };
      lastCells.set(session.session_id, last);
    }
    const { cell } = last;
    if (isClosed(start, CELL_SEC, watermark, options.allowedLatenessSec)) {
      cell.counters.late_dropped += 1;
    } else {
      add(cell, delta, options.sketches);
      if (session.active_minute_ms < start) {
        session.active_minute_ms = start;
        cell.counters.active_sessions += 1;
      }
      if (delta.plays > 0) state.viewers.push({ ...cell.key, viewer: session.viewer });
    }
    state.sessions.set(session.session_id, session);
    state.watermarks.set(record.partition, Math.max(watermark, event.at_ms));
  }
}

function cellOf(state: BatchState, session: QoeSession, start: number): Cell {
  const id =
    `${start}\u0000${session.content_id}\u0000${session.country}\u0000${session.cdn_pop}\u0000${session.device_type}`;
  const known = state.cells.get(id);
  if (known) return known;
  const key: CellKey = {
    window_start: new Date(start).toISOString(),
    content_id: session.content_id,
    country: session.country,
    cdn_pop: session.cdn_pop,
    device_type: session.device_type,
  };
  const counters = Object.fromEntries(COUNTER_COLUMNS.map((c) => [c, 0])) as QoeCounters;
  const cell = { key, counters, vst: null };
  state.cells.set(id, cell);
  return cell;
}

/** The counters an event's delta carries (the others are the cell's own). */
const DELTA_COLUMNS = COUNTER_COLUMNS.filter((column) => column in emptyDelta()) as (
  & keyof QoeCounters
  & keyof QoeDelta
)[];

function add(cell: Cell, delta: QoeDelta, sketches: QuantileSketches) {
  for (const column of DELTA_COLUMNS) cell.counters[column] += delta[column];
  if (delta.vst_ms !== null) {
    cell.vst ??= sketches.create();
    cell.vst.add(delta.vst_ms);
  }
}
