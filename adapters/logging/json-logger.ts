/** The Logger port as JSON lines on standard output (errors on standard error). */
import type { LogFields, Logger } from "../../domain/ports/logger.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Write = (line: string, level: Exclude<LogLevel, "silent">) => void;

const writeToConsole: Write = (line, level) =>
  level === "error" ? console.error(line) : console.log(line);

export function jsonLogger(
  level: LogLevel,
  fields: LogFields = {},
  write = writeToConsole,
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const log = (lineLevel: Exclude<LogLevel, "silent">) => (message: string, extra?: LogFields) => {
    if (LOG_LEVELS.indexOf(lineLevel) < threshold) return;
    const line = { time: new Date().toISOString(), level: lineLevel, message, ...fields, ...extra };
    write(JSON.stringify(line, errorsAsObjects), lineLevel);
  };
  return {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    child: (more) => jsonLogger(level, { ...fields, ...more }, write),
  };
}

function errorsAsObjects(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return { name: value.name, message: value.message, stack: value.stack };
}
