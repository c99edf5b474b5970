import assert from "node:assert/strict";
import { isoDateExists, isoTimeFormatter, isoTimeMillis } from "./iso-time.ts";

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

Deno.test("isoTimeMillis reads a time exactly as Date does, in toISOString's form and any other", () => {
  const texts = [
    "2026-11-22T03:31:36.857Z",
    "1970-01-01T00:00:00.000Z",
    "1969-12-31T23:59:59.999Z",
    "0100-01-01T00:00:00.000Z",
    "0099-12-31T23:59:59.999Z", // Date.UTC would read the year as 1999
    "0000-01-01T00:00:00.000Z",
    "9999-12-31T23:59:59.999Z",
    "2026-02-29T12:00:00.000Z", // rolls over to 1 March
    "2024-02-29T12:00:00.000Z",
    "2026-04-31T12:00:00.000Z",
    "2026-11-22T24:00:00.000Z",
    "2026-11-22T23:60:00.000Z",
    "2026-13-01T00:00:00.000Z",
    "2026-00-01T00:00:00.000Z",
    "2026-11-00T00:00:00.000Z",
    "2026-11-22 03:31:36.857Z",
    "2026-11-22T03:31:36Z",
    "2026-11-22T03:31:36.8Z",
    "2026-11-22T03:31:36.857123Z",
    "2026-11-22T03:31:36.857+01:00",
    "2026-11-22T03:31:36.85xZ",
    "2026-1a-22T03:31:36.857Z",
    "+012026-01-01T00:00:00.000Z",
    "not a time at all, 24 ch",
    "",
  ];
  for (const text of texts) {
    assert.deepEqual(isoTimeMillis(text), new Date(text).getTime(), text);
  }
});

Deno.test("isoTimeMillis agrees with Date on random times and on random characters in place", () => {
  const alphabet = "0123456789-:.TZ x";
  for (let i = 0; i < 20_000; i++) {
    const time = Math.floor((Math.random() * 2 - 0.5) * 4e12);
    let text = new Date(time).toISOString();
    if (i % 2 === 1) { // one character changed
      const at = Math.floor(Math.random() * text.length);
      const char = alphabet[Math.floor(Math.random() * alphabet.length)]!;
      text = text.slice(0, at) + char + text.slice(at + 1);
    }
    assert.deepEqual(isoTimeMillis(text), new Date(text).getTime(), text);
  }
});

Deno.test("isoDateExists: the calendar's days, leap years included, and nothing else", () => {
  for (const date of ["2026-01-31", "2024-02-29", "2000-02-29", "2026-04-30", "0001-12-31"]) {
    assert.ok(isoDateExists(`${date}T00:00:00.000Z`), date);
  }
  for (
    const date of [
      "2026-02-29",
      "1900-02-29",
      "2026-04-31",
      "2026-13-01",
      "2026-00-10",
      "2026-01-00",
      "20x6-01-01",
    ]
  ) {
    assert.ok(!isoDateExists(`${date}T00:00:00.000Z`), date);
  }
});
