import assert from "node:assert/strict";
import { parseRangeHeader } from "./byte-ranges.ts";

Deno.test("one byte range is understood in its three forms", () => {
  assert.deepEqual(parseRangeHeader("bytes=0-499"), { start: 0, end: 499 });
  assert.deepEqual(parseRangeHeader("bytes=500-"), { start: 500 });
  assert.deepEqual(parseRangeHeader("bytes=-500"), { suffix: 500 });
});

Deno.test("anything else is ignored (the whole object is served)", () => {
  for (
    const header of [
      undefined,
      "",
      "bytes=-",
      "bytes=5-1",
      "items=0-1",
      "bytes=0-1,4-5",
      "bytes=a-b",
    ]
  ) {
    assert.equal(parseRangeHeader(header), undefined, String(header));
  }
});
