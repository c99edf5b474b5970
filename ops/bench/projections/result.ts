/** One figure of the projection benchmark and how it reads as a row of the report's table. */
import { type Column, formatCount } from "../lib/report.ts";

export interface ResultRow {
  engine: string;
  case: string;
  events: number;
  seconds: number;
  /** The same work without the projection, in the same run. */
  baseline: Baseline | null;
  /** For append-to-visible rows; their events/s is the rate the appends achieved. */
  latency: Latency | null;
  target: string;
  met: boolean | null;
}

export interface Baseline {
  name: string;
  events: number;
  seconds: number;
}

/** Milliseconds from the append's acknowledgement, and from its call, to the row being seen. */
export interface Latency {
  p50: number;
  p99: number;
  callP50: number;
  callP99: number;
}

const column = (title: string, align: Column["align"] = "right"): Column => ({ title, align });

export const RESULT_COLUMNS: Column[] = [
  column("engine", "left"),
  column("case", "left"),
  column("events"),
  column("seconds"),
  column("events/s"),
  column("baseline", "left"),
  column("baseline events/s"),
  column("ratio"),
  column("latency p50 / p99 (from call)", "left"),
  column("target", "left"),
  column("met", "left"),
];

/** Events per second; the ratio is the figure's rate over the baseline's (below 1: slower). */
export function rateOf({ events, seconds }: { events: number; seconds: number }): number {
  return events / seconds;
}

/** The cells of `row`, in the order of RESULT_COLUMNS. */
export function resultCells(row: ResultRow): string[] {
  const { baseline, latency } = row;
  const ms = (value: number) => value.toFixed(1);
  return [
    row.engine,
    row.case,
    formatCount(row.events),
    row.seconds.toFixed(3),
    formatCount(rateOf(row)),
    baseline?.name ?? "—",
    baseline ? formatCount(rateOf(baseline)) : "—",
    baseline ? `${(rateOf(row) / rateOf(baseline)).toFixed(2)}x` : "—",
    latency
      ? `${ms(latency.p50)} / ${ms(latency.p99)} ms (${ms(latency.callP50)} / ${
        ms(latency.callP99)
      } ms)`
      : "—",
    row.target,
    row.met === null ? "—" : row.met ? "yes" : "**no**",
  ];
}
