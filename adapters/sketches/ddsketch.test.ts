import assert from "node:assert/strict";
import { ddSketches } from "./ddsketch.ts";

Deno.test("DDSketch: serialized, parsed and merged, quantiles stay within the relative accuracy", () => {
  const sketches = ddSketches(0.01);
  const values = [0, ...Array.from({ length: 2_000 }, (_, i) => 200 + (i * 7919) % 5_000)];
  const [left, right] = [sketches.create(), sketches.create()];
  values.forEach((value, i) => (i % 2 ? left : right).add(value));
  const merged = sketches.parse(left.serialize());
  merged.merge(sketches.parse(right.serialize()));
  assert.equal(merged.count, values.length);
  const sorted = [...values].sort((a, b) => a - b);
  for (const q of [0.5, 0.95, 0.99]) {
    const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
    const estimate = merged.quantile(q)!;
    assert.ok(Math.abs(estimate - exact) <= 0.01 * exact + 1e-9, `q${q}: ${estimate} vs ${exact}`);
  }
  assert.equal(sketches.create().quantile(0.5), null);
  const empty = sketches.parse(sketches.create().serialize());
  assert.equal(empty.count, 0);
  empty.merge(merged);
  assert.equal(empty.quantile(0.99), merged.quantile(0.99));
  assert.throws(() => ddSketches(0.02).parse(merged.serialize()), /accuracy/);
});
