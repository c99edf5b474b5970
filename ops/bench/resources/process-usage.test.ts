import assert from "node:assert/strict";
import { cpuByName, cpuSpentByName, parseStat, processUsage } from "./process-usage.ts";

Deno.test("a stat line with spaces in the command name gives CPU seconds and RSS", () => {
  const stat = "4242 (deno run x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0 " +
    "123 1000000 25600 18446744073709551615";
  assert.deepEqual(parseStat(stat), { rssMiB: 100, cpuSec: 3 });
});

Deno.test("this process's own usage is read from /proc", async () => {
  const usage = await processUsage(Deno.pid);
  assert.ok(usage.rssMiB > 10, JSON.stringify(usage));
  assert.ok(usage.cpuSec >= 0, JSON.stringify(usage));
});

Deno.test("CPU time by process name includes this process, and its deltas add up by name", async () => {
  const usage = await cpuByName(["deno"]);
  assert.equal(usage.get(Deno.pid)?.name, "deno");
  const before = new Map([[1, { name: "redis-server", cpuSec: 2 }]]);
  const after = new Map([
    [1, { name: "redis-server", cpuSec: 5 }],
    [2, { name: "postgres", cpuSec: 1 }],
    [3, { name: "postgres", cpuSec: 0.5 }],
  ]);
  assert.deepEqual(cpuSpentByName(before, after), { "redis-server": 3, postgres: 1.5 });
});
