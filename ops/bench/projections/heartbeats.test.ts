import assert from "node:assert/strict";
import { heartbeatRecords } from "./heartbeats.ts";

Deno.test("heartbeats are keyed by session, numbered in order, their counters cumulative", () => {
  const records = heartbeatRecords(2_000, 50);
  assert.equal(records.length, 2_000);
  assert.deepEqual(heartbeatRecords(2_000, 50), records);
  const last = new Map<string, Record<string, unknown>>();
  for (const { key, value } of records) {
    assert.equal(value.session_id, key);
    assert.equal(value.type, "heartbeat");
    const before = last.get(key);
    assert.equal(value.seq, ((before?.seq as number) ?? 0) + 1);
    for (const counter of ["played_ms", "rebuffer_ms", "stalls", "dropped_frames"]) {
      assert.ok((value[counter] as number) >= ((before?.[counter] as number) ?? 0), counter);
    }
    last.set(key, value);
  }
  assert.equal(last.size, 50);
  const bytes = JSON.stringify(records[0]!.value).length;
  assert.ok(bytes > 350 && bytes < 600, `${bytes} bytes`);
});
