/**
 * The figures of a window (or of several merged) from its summed counters and merged start-time
 * percentiles. Rates are fractions (0.02 is 2 %); a rate whose denominator is zero is null.
 */
import type { QoeDelta } from "./session-step.ts";
import {
  bitrateScore,
  droppedFramesScore,
  qoeScore,
  rebufferingScore,
  round,
  vstScore,
} from "./score.ts";

/** Counters summed over windows and cells: what a window row stores, without the sketch. */
export type QoeCounters = Omit<QoeDelta, "vst_ms"> & {
  /** Sessions with an event in the minute (summed over minutes: session-minutes). */
  active_sessions: number;
  late_dropped: number;
};

export interface QoeInputs {
  counters: QoeCounters;
  vst: { count: number; p50: number | null; p95: number | null; p99: number | null };
  unique_viewers: number;
  concurrent: { max: number; avg: number };
}

export interface QoeSettings {
  targetBitrateKbps: number;
}

export function qoeMetrics(inputs: QoeInputs, settings: QoeSettings) {
  const c = inputs.counters;
  const ratio = (part: number, whole: number, digits = 4) =>
    whole > 0 ? round(part / whole, digits) : null;
  const watchedMs = c.played_ms + c.rebuffer_ms;
  const rebufferingRatio = ratio(c.rebuffer_ms, watchedMs, 5);
  const avgBitrate = c.bitrate_played_ms > 0
    ? round(c.bitrate_kbps_ms / c.bitrate_played_ms, 0)
    : null;
  const droppedPerMinute = c.played_ms > 0
    ? round(c.dropped_frames / (c.played_ms / 60_000), 2)
    : null;
  const subScores = {
    vst: inputs.vst.p95 === null ? null : vstScore(inputs.vst.p95),
    rebuffering: rebufferingRatio === null ? null : rebufferingScore(rebufferingRatio),
    bitrate: avgBitrate === null ? null : bitrateScore(avgBitrate, settings.targetBitrateKbps),
    dropped_frames: droppedPerMinute === null ? null : droppedFramesScore(droppedPerMinute),
  };
  return {
    plays: c.plays,
    video_starts: c.video_starts,
    unique_viewers: inputs.unique_viewers,
    concurrent_viewers: { max: inputs.concurrent.max, avg: round(inputs.concurrent.avg, 2) },
    video_start_time_ms: { count: inputs.vst.count, ...percentiles(inputs.vst) },
    rebuffering_ratio: rebufferingRatio,
    rebuffering_per_minute: c.played_ms > 0 ? round(c.rebuffers / (c.played_ms / 60_000), 3) : null,
    rebuffers: c.rebuffers,
    exits_before_video_start: c.exits_before_start,
    exits_before_video_start_rate: ratio(c.exits_before_start, c.plays),
    playback_failures: c.failures,
    playback_failure_rate: ratio(c.failures, c.plays),
    error_rate: ratio(c.error_sessions, c.plays),
    completions: c.completions,
    completion_rate: ratio(c.completions, c.video_starts),
    average_bitrate_kbps: avgBitrate,
    dropped_frames: c.dropped_frames,
    dropped_frames_per_minute: droppedPerMinute,
    played_ms: c.played_ms,
    rebuffer_ms: c.rebuffer_ms,
    qoe_score: qoeScore(subScores),
    qoe_sub_scores: subScores,
    engagement: {
      average_session_duration_sec: c.ended_sessions > 0
        ? round(c.session_ms / c.ended_sessions / 1000, 1)
        : null,
      view_through_rate: ratio(c.completions, c.plays),
      // Seed 001: 0.1 clicks + 0.3 plays + 0.6 completions; a play intent is the click, a video start the play.
      engagement_score: round(0.1 * c.plays + 0.3 * c.video_starts + 0.6 * c.completions, 1),
    },
    late_dropped: c.late_dropped,
  };
}

export type QoeMetrics = ReturnType<typeof qoeMetrics>;

function percentiles(vst: QoeInputs["vst"]) {
  const ms = (value: number | null) => value === null ? null : Math.round(value);
  return { p50: ms(vst.p50), p95: ms(vst.p95), p99: ms(vst.p99) };
}
