import assert from "node:assert/strict";
import { SerialBatcher } from "./serial-batcher.ts";

Deno.test("sends never overlap, and what waits goes out together", async () => {
  const sends: number[][] = [];
  let inFlight = 0;
  const batcher = new SerialBatcher<number>(async (items) => {
    assert.equal(++inFlight, 1, "one send at a time");
    sends.push(items);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
  }, { maxItems: 4 });
  await Promise.all([[1], [2], [3, 4], [5], [6, 7, 8]].map((items) => batcher.add(items)));
  assert.deepEqual(sends, [[1], [2, 3, 4, 5], [6, 7, 8]]);
});

Deno.test("a send carries at most the weight limit, unless one caller alone weighs more", async () => {
  const sends: string[][] = [];
  const batcher = new SerialBatcher<string>(async (items) => {
    sends.push(items);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }, { maxWeight: 10, weigh: (item) => item.length });
  const calls = [["aaaa"], ["bbbb"], ["cccc", "dd"], ["eeeeeeeeeeee"], ["f"]];
  await Promise.all(calls.map((items) => batcher.add(items)));
  assert.deepEqual(sends, [["aaaa"], ["bbbb", "cccc", "dd"], ["eeeeeeeeeeee"], ["f"]]);
});

Deno.test("a failed send rejects exactly the callers it carried", async () => {
  let calls = 0;
  const batcher = new SerialBatcher<string>(async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (++calls === 2) throw new Error("broker down");
  });
  const results = await Promise.allSettled([
    batcher.add(["a"]),
    batcher.add(["b"]),
    batcher.add(["c"]),
  ]);
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "rejected"]);
  await batcher.add(["d"]);
  assert.equal(calls, 3);
});
