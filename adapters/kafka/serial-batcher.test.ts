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
  }, 4);
  await Promise.all([[1], [2], [3, 4], [5], [6, 7, 8]].map((items) => batcher.add(items)));
  assert.deepEqual(sends, [[1], [2, 3, 4, 5], [6, 7, 8]]);
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
