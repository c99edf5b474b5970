import { runEndedSessionsContract } from "../ended-sessions/contract.ts";
import { MemoryEndedSessions } from "./ended-sessions.ts";

Deno.test("memory ended sessions meet the contract", async (t) => {
  await runEndedSessionsContract(t, (ttlMs) => new MemoryEndedSessions(ttlMs));
});
