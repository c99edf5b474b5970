/** One case's figures and how they read as a row of the report's table. */
import { type Column, formatCount } from "../lib/report.ts";

export interface ResultRow {
  engine: string;
  case: string;
  appenders: number | null;
  events: number;
  seconds: number;
  baselineSeconds: number | null;
  latency: LatencyFigures | null;
  target: string;
  met: boolean | null;
}

export interface LatencyFigures {
  /** From the append's acknowledgement (the commit as the appender sees it) to delivery. */
  p50: number;
  p99: number;
  /** From the call to appendToStream to delivery: includes the commit's own round trip. */
  callP50: number;
  callP99: number;
}

const left = (title: string): Column => ({ title, align: "left" });
const right = (title: string): Column => ({ title, align: "right" });

export const RESULT_COLUMNS: Column[] = [
  left("engine"),
  left("case"),
  right("appenders"),
  right("events"),
  right("seconds"),
  right("events/s"),
  right("baseline events/s"),
  right("ratio"),
  left("latency p50 / p99"),
  left("target"),
  left("met"),
];

/** The cells of `row`, in the order of RESULT_COLUMNS. */
export function resultCells(row: ResultRow): string[] {
  const rate = (seconds: number) => formatCount(row.events / seconds);
  return [
    row.engine,
    row.case,
    row.appenders === null ? "—" : String(row.appenders),
    formatCount(row.events),
    row.seconds.toFixed(3),
    row.latency ? "—" : rate(row.seconds),
    row.baselineSeconds === null ? "—" : rate(row.baselineSeconds),
    row.baselineSeconds === null ? "—" : `${(row.seconds / row.baselineSeconds).toFixed(2)}x`,
    row.latency ? formatLatency(row.latency) : "—",
    row.target,
    row.met === null ? "—" : row.met ? "yes" : "**no**",
  ];
}

function formatLatency({ p50, p99, callP50, callP99 }: LatencyFigures): string {
  return `${p50.toFixed(1)} / ${p99.toFixed(1)} ms (from call: ${callP50.toFixed(1)} / ${
    callP99.toFixed(1)
  } ms)`;
}
