import assert from "node:assert/strict";
import { isoTime } from "./iso-time.ts";

Deno.test("isoTime writes what toISOString writes, within a second and across seconds", () => {
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
  for (const ms of times) assert.equal(isoTime(ms), new Date(ms).toISOString(), String(ms));
});
