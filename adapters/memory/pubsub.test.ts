import { runPubSubContract } from "../pubsub/contract.ts";
import { MemoryPubSub } from "./pubsub.ts";

Deno.test("in-memory pub/sub meets the pub/sub contract", async (t) => {
  // One process: the "other process" of the contract is the same instance.
  const pubsub = new MemoryPubSub();
  await runPubSubContract(t, pubsub, pubsub);
});
