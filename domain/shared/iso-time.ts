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
