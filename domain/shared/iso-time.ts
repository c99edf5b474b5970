/**
 * ISO 8601 formatting of epoch milliseconds for hot paths. `Date.prototype.toISOString` costs about
 * a microsecond in V8, and ingest formats two times per event, the event store one per event read;
 * such times come in runs of the same second, so the formatter keeps the text of the last second it
 * saw and only appends milliseconds.
 */

/** A formatter whose output equals `new Date(ms).toISOString()`; one per batch or loop. */
export function isoTimeFormatter(): (ms: number) => string {
  let second = NaN;
  let prefix = "";
  return (ms) => {
    const wholeSecond = Math.floor(ms / 1000);
    if (wholeSecond !== second || !Number.isInteger(ms)) {
      const text = new Date(ms).toISOString(); // throws RangeError for an invalid time, as before
      second = wholeSecond;
      prefix = text.slice(0, -4); // up to and including the ".", whatever the year's width
      return text;
    }
    const millis = ms - wholeSecond * 1000;
    return `${prefix}${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
  };
}

const [DASH, COLON, DOT, T, Z, ZERO] = ["-", ":", ".", "T", "Z", "0"].map((c) => c.charCodeAt(0));

/**
 * `new Date(text).getTime()`, worked out directly for the form `toISOString` writes
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`, years from 0100) and left to `Date` for any other. Parsing a date
 * costs this runtime about half a microsecond, a sizeable share of validating an event.
 */
export function isoTimeMillis(text: string): number {
  if (
    text.length !== 24 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH ||
    text.charCodeAt(10) !== T || text.charCodeAt(13) !== COLON ||
    text.charCodeAt(16) !== COLON || text.charCodeAt(19) !== DOT || text.charCodeAt(23) !== Z
  ) return new Date(text).getTime();
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const millis = digits(text, 20, 3);
  // Date.UTC reads years 0-99 as 1900-1999; Date's parser does not (and -1: not digits).
  if (
    year < 100 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
    minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0
  ) return new Date(text).getTime();
  // Days past the month's end roll over, as Date's parser does too ("02-31" is 3 March).
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

/**
 * Whether the date a text starts with (`YYYY-MM-DD`) is one of the calendar's: Date's parser rolls
 * 31 February over into March, where PostgreSQL, say, refuses it.
 */
export function isoDateExists(text: string): boolean {
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 ||
      month === 11
    ? 30
    : 31;
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= days;
}

/** The decimal number of `count` digits at `start`, or -1 when one of them is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - ZERO!;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
