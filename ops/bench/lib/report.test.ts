import assert from "node:assert/strict";
import { formatCount, formatReport, markdownTable } from "./report.ts";

Deno.test("formatCount rounds and groups thousands", () => {
  assert.equal(formatCount(1234567.6), "1,234,568");
  assert.equal(formatCount(999.4), "999");
});

Deno.test("markdownTable aligns numbers right", () => {
  const table = markdownTable(
    [{ title: "name", align: "left" }, { title: "n", align: "right" }],
    [["a", "1"], ["b", "2"]],
  );
  assert.deepEqual(table, ["| name | n |", "|---|--:|", "| a | 1 |", "| b | 2 |"]);
});

Deno.test("formatReport lists the machine, the table and what was skipped", () => {
  const machine = ["CPU: 2 cores"];
  const table = ["| a |", "|---|"];
  assert.equal(
    formatReport({ machine, table, skipped: [] }),
    "Machine:\n\n- CPU: 2 cores\n\n| a |\n|---|\n",
  );
  assert.equal(
    formatReport({ machine, table, skipped: ["server"] }),
    "Machine:\n\n- CPU: 2 cores\n\n| a |\n|---|\n\nSkipped: server\n",
  );
});
