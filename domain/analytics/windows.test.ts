import assert from "node:assert/strict";
import { bucketStart, retentionMs, windowPlan } from "./windows.ts";

const now = Date.UTC(2026, 10, 21, 12, 34, 56, 789);

Deno.test("the hour window is the last 60 minutes, the current one included", () => {
  const plan = windowPlan("hour", now)!;
  assert.equal(plan.granularity, "minute");
  assert.equal(plan.starts.length, 60);
  assert.equal(plan.starts.at(-1), Date.UTC(2026, 10, 21, 12, 34));
  assert.equal(plan.from, Date.UTC(2026, 10, 21, 11, 35));
});

Deno.test("a view leaves the hour board within the minute it turns an hour old", () => {
  const viewedAt = Date.UTC(2026, 10, 21, 11, 35, 30);
  const inside = (at: number) => bucketStart("minute", viewedAt) >= windowPlan("hour", at)!.from;
  assert.equal(inside(viewedAt + 59 * 60_000), true);
  assert.equal(inside(viewedAt + 60 * 60_000), false);
});

Deno.test("longer windows use hour and day buckets; all time has no buckets", () => {
  assert.deepEqual(
    ["day", "week", "month", "year"].map((w) => {
      const plan = windowPlan(w as "day", now)!;
      return [plan.granularity, plan.starts.length];
    }),
    [["hour", 24], ["hour", 168], ["day", 30], ["day", 365]],
  );
  assert.equal(windowPlan("all", now), undefined);
  assert.equal(windowPlan("day", now)!.from, Date.UTC(2026, 10, 20, 13));
});

Deno.test("buckets are kept as long as their longest window reads them", () => {
  assert.equal(retentionMs("minute"), 61 * 60_000);
  assert.equal(retentionMs("hour"), 169 * 3_600_000);
  assert.equal(retentionMs("day"), 366 * 86_400_000);
});
