/** Watch history rows as the API answers them, with the resume rules applied. */
import {
  isCompleted,
  percentOf,
  type Progress,
  resumePoint,
  type ResumeRules,
} from "../../domain/watch-history/resume-rules.ts";
import type { EntryRow } from "./queries.ts";

export function progressOf(row: EntryRow): Progress {
  const defined = <T>(value: T | null) => value ?? undefined;
  return {
    positionSec: defined(row.position_sec),
    positionAtMs: row.position_at?.getTime(),
    furthestSec: defined(row.furthest_sec),
    endedAtMs: row.ended_at?.getTime(),
    durationSec: defined(row.duration_sec),
  };
}

/** The catalog's view of the item, when the catalog knows it. */
export function videoOf(row: EntryRow) {
  if (row.video_id === null) return undefined;
  return withoutNulls({
    id: row.video_id,
    title: row.title,
    content_type: row.content_type,
    show_id: row.show_id,
    show_title: row.show_title,
    season_number: row.season_number,
    episode_number: row.episode_number,
    status: row.status,
  });
}

/**
 * One item of the viewer's history. `resume_position_sec` is where playback should start: the
 * last position when the rules allow a resume (`resumable`), else 0.
 */
export function presentEntry(row: EntryRow, rules: ResumeRules) {
  const progress = progressOf(row);
  const resume = resumePoint(progress, rules);
  const percent = percentOf(progress.positionSec, progress.durationSec);
  return withoutNulls({
    content_id: row.content_id,
    position_sec: row.position_sec,
    duration_sec: row.duration_sec,
    percent: percent === undefined ? null : Math.round(percent * 10) / 10,
    completed: isCompleted(progress, rules),
    resumable: resume !== undefined,
    resume_position_sec: resume ?? 0,
    position_at: row.position_at?.toISOString(),
    last_watched_at: row.last_watched_at?.toISOString(),
    device_id: row.device_id,
    session_id: row.session_id,
    video: videoOf(row),
  });
}

function withoutNulls<T extends Record<string, unknown>>(fields: T) {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== null && value !== undefined),
  ) as { [K in keyof T]?: NonNullable<T[K]> };
}
