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

Deno.test("one formatter writes what toISOString writes, within a second and across seconds", () => {
  const iso = isoTimeFormatter();
  const now = Date.UTC(2026, 10, 22, 1, 2, 3, 4);
  const times = [
    ...Array.from({ length: 2_500 }, (_, i) => now + i), // runs of the same second
    0,
    999,
    1_000,
    -1,
    -999,
    -1_000,
    -1_001,
    Date.UTC(1999, 11, 31, 23, 59, 59, 999),
    Date.UTC(2000, 0, 1),
    Date.UTC(2024, 1, 29, 12, 0, 0, 50),
    253_402_300_799_999, // 9999-12-31T23:59:59.999Z
    253_402_300_800_000, // +010000-01-01T00:00:00.000Z
    now + 5, // back to a second seen before
  ];
  for (const ms of times) assert.equal(iso(ms), new Date(ms).toISOString(), String(ms));
});
