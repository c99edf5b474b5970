/** The window a QoE query asks for: a size, and a span of whole windows (default: the latest). */
import * as v from "valibot";
import type { SqlExecutor } from "../../domain/ports/sql.ts";
import { ValidationError } from "../../domain/shared/errors.ts";
import { WINDOW_NAMES, WINDOW_SIZES, windowStart } from "../../domain/qoe/windows.ts";
import { latestMinute, lowestWatermark } from "../../projections/qoe/queries.ts";

const MAX_SPAN_MS = 7 * 24 * 3600 * 1000;

const Instant = v.pipe(
  v.string(),
  v.check((text) => Number.isFinite(Date.parse(text)), "must be an ISO 8601 time"),
  v.transform((text) => Date.parse(text)),
);

export const WindowQuery = {
  window: v.optional(v.picklist(WINDOW_NAMES), "5m"),
  /** Merge the windows starting from here (rounded down to a window)... */
  from: v.optional(Instant),
  /** ...up to here (exclusive); one window when absent. */
  to: v.optional(Instant),
};

export interface ResolvedWindow {
  fromMs: number;
  toMs: number;
}

export async function resolveWindow(
  sql: SqlExecutor,
  query: { window: keyof typeof WINDOW_SIZES; from?: number; to?: number },
  contentId?: string,
): Promise<ResolvedWindow | null> {
  const sizeSec = WINDOW_SIZES[query.window];
  const sizeMs = sizeSec * 1000;
  const start = query.from ?? await latestMinute(sql, contentId);
  if (start === null) return null;
  const from = windowStart(start, sizeSec);
  const to = query.to === undefined ? from + sizeMs : Math.ceil(query.to / sizeMs) * sizeMs;
  if (to <= from || to - from > MAX_SPAN_MS) {
    throw new ValidationError([{
      path: "to",
      message: "must be after from, at most 7 days later",
    }]);
  }
  return { fromMs: from, toMs: to };
}

/** The window as the API shows it; closed once every partition's watermark has passed it. */
export async function describeWindow(
  sql: SqlExecutor,
  window: ResolvedWindow,
  name: string,
  allowedLatenessSec: number,
) {
  const watermark = await lowestWatermark(sql);
  return {
    size: name,
    from: new Date(window.fromMs).toISOString(),
    to: new Date(window.toMs).toISOString(),
    closed: watermark !== null && window.toMs + allowedLatenessSec * 1000 <= watermark,
  };
}
