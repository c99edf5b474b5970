import assert from "node:assert/strict";
import { runToExit } from "../testing/service-process.ts";

/** Runs a script that installs the handler and then rejects `rejection` with nobody waiting. */
function processRejecting(rejection: string) {
  const script = `
    import { surviveStrayNetworkErrors } from "${new URL(
    "./stray-network-errors.ts",
    import.meta.url,
  )}";
    surviveStrayNetworkErrors({ warn: (m) => console.log("warned:", m) });
    Promise.reject(${rejection});
    setTimeout(() => console.log("still running"), 50);`;
  return runToExit(Deno.execPath(), ["eval", script], {});
}

Deno.test("a connection reset nobody waits for is logged, and the process goes on", async () => {
  const { code, output } = await processRejecting(
    `Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })`,
  );
  assert.equal(code, 0, output);
  assert.match(output, /warned: a connection failed with nobody waiting on it/);
  assert.match(output, /still running/);
});

Deno.test("any other unhandled rejection still ends the process", async () => {
  const { code, output } = await processRejecting(`new Error("a bug")`);
  assert.notEqual(code, 0);
  assert.doesNotMatch(output, /still running/);
});
