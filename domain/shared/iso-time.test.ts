import assert from "node:assert/strict";
import { isoTimeFormatter } from "./iso-time.ts";

Deno.test("formats exactly as toISOString, across seconds, years and before 1970", () => {
  const iso = isoTimeFormatter();
  const times = [
    Date.parse("2026-11-21T12:00:05.000Z"),
    Date.parse("2026-11-21T12:00:05.007Z"),
    Date.parse("2026-11-21T12:00:05.090Z"),
    Date.parse("2026-11-21T12:00:05.999Z"),
    Date.parse("2026-11-21T12:00:06.001Z"),
    Date.parse("2026-11-21T12:00:05.500Z"), // back to an earlier second
    Date.parse("1969-12-31T23:59:59.123Z"),
    Date.parse("1969-12-31T23:59:59.456Z"),
    Date.parse("+012026-01-01T00:00:00.250Z"),
    Date.parse("+012026-01-01T00:00:00.750Z"),
    0,
    1,
    1.5, // a fraction is dropped, as Date does
  ];
  for (const ms of times) assert.equal(iso(ms), new Date(ms).toISOString(), String(ms));
});

Deno.test("an invalid time throws as toISOString does", () => {
  assert.throws(() => isoTimeFormatter()(NaN), RangeError);
});
