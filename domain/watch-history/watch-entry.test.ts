import assert from "node:assert/strict";
import { mergeByKey, mergeEntries, type WatchEntry } from "./watch-entry.ts";

const viewer = { userId: "u1", profileId: "default", contentId: "c1" };
/** A record's view: a position `positionSec` reported at `atMs`. */
const report = (atMs: number, positionSec: number, extra: Partial<WatchEntry> = {}) => ({
  ...viewer,
  position: { positionSec, atMs },
  furthestSec: positionSec,
  lastWatchedAtMs: atMs,
  ...extra,
});
const fold = (entries: WatchEntry[]) => entries.reduce(mergeEntries);

Deno.test("given a newer position, when an older one arrives, then the newer one stays", () => {
  const entry = fold([report(2_000, 900), report(1_000, 1_500)]);
  assert.deepEqual(entry.position, { positionSec: 900, atMs: 2_000 });
  assert.equal(entry.furthestSec, 1_500, "how far the viewer got still counts");
  assert.equal(entry.lastWatchedAtMs, 2_000);
});

Deno.test("given a position, when a newer one goes back (a rewind), then it wins", () => {
  assert.deepEqual(fold([report(1_000, 900), report(2_000, 60)]).position, {
    positionSec: 60,
    atMs: 2_000,
  });
});

Deno.test("any order, any repeats: the same entry", () => {
  const records = [
    report(1_000, 100, { durationSec: 3_000 }),
    report(3_000, 50),
    report(3_000, 70),
    { ...viewer, endedAtMs: 2_500, lastWatchedAtMs: 2_500 },
    report(2_000, 2_900, { durationSec: 3_001 }),
  ];
  const expected = fold(records);
  assert.deepEqual(expected, {
    ...viewer,
    position: { positionSec: 70, atMs: 3_000 },
    durationSec: 3_001,
    furthestSec: 2_900,
    endedAtMs: 2_500,
    lastWatchedAtMs: 3_000,
  });
  for (const order of permutations(records)) assert.deepEqual(fold(order), expected);
  assert.deepEqual(fold([...records, ...records.toReversed()]), expected);
  assert.deepEqual(mergeEntries(expected, expected), expected);
});

Deno.test("a batch becomes one entry per viewer and item", () => {
  const other = { ...report(1_000, 10), profileId: "kids" };
  const merged = mergeByKey([report(1_000, 10), other, report(2_000, 20)]);
  assert.deepEqual(merged.map((e) => [e.profileId, e.position?.positionSec]), [
    ["default", 20],
    ["kids", 10],
  ]);
});

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) return yield items;
  for (const [i, item] of items.entries()) {
    for (const rest of permutations(items.toSpliced(i, 1))) yield [item, ...rest];
  }
}
