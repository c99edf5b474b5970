import assert from "node:assert/strict";
import { jsonLogger } from "../logging/json-logger.ts";
import { repeatEvery } from "./periodic.ts";

Deno.test("repeatEvery: a round at once, then one per interval; a failed round is logged and the next comes", async () => {
  const lines: string[] = [];
  const logger = jsonLogger("info", {}, (line) => lines.push(line));
  let rounds = 0;
  let finishedRounds = 0;
  const job = repeatEvery(
    "test work",
    async () => {
      rounds++;
      if (rounds === 2) throw new Error("round two fails");
      await new Promise((resolve) => setTimeout(resolve, 5));
      finishedRounds++;
    },
    10,
    logger,
  );
  while (rounds < 4) await new Promise((resolve) => setTimeout(resolve, 5));
  await job.stop();
  const after = rounds;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(rounds, after, "no round after stop");
  assert.equal(finishedRounds, rounds - 1, "stop waited for the round in progress");
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /"message":"test work failed".*round two fails/);
});
