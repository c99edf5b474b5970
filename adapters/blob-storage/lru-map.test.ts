import assert from "node:assert/strict";
import { LruMap } from "./lru-map.ts";

Deno.test("an LRU map drops the least recently used entry when full", () => {
  const removed: string[] = [];
  const map = new LruMap<string, number>(2, (key, value) => removed.push(`${key}=${value}`));
  map.set("a", 1);
  map.set("b", 2);
  assert.equal(map.get("a"), 1); // "b" is now the least recently used
  assert.equal(map.get("a"), 1); // still
  map.set("c", 3);
  assert.equal(map.size, 2);
  assert.equal(map.get("b"), undefined);
  assert.deepEqual([...map.entries()], [["a", 1], ["c", 3]]);
  assert.deepEqual(removed, ["b=2"]);
});

Deno.test("an LRU map tells of replaced and deleted values", () => {
  const removed: string[] = [];
  const map = new LruMap<string, number>(2, (key, value) => removed.push(`${key}=${value}`));
  map.set("a", 1);
  map.set("a", 10);
  assert.equal(map.size, 1);
  assert.equal(map.get("a"), 10);
  map.delete("a");
  map.delete("a");
  assert.equal(map.get("a"), undefined);
  assert.deepEqual(removed, ["a=1", "a=10"]);
  assert.throws(() => new LruMap(0), RangeError);
});

Deno.test("an LRU map reorders after the most recent entry is deleted", () => {
  const map = new LruMap<string, number>(2);
  map.set("a", 1);
  map.set("b", 2);
  map.delete("b");
  map.set("b", 3);
  assert.equal(map.get("a"), 1); // "a" is the most recent again, "b" the oldest
  map.set("c", 4);
  assert.deepEqual([...map.entries()], [["a", 1], ["c", 4]]);
});
