import { runPubSubContract } from "../pubsub/contract.ts";
import { integrationTest } from "../testing/integration.ts";
import { closeRedis, connectRedis } from "./client.ts";
import { RedisPubSub } from "./pubsub.ts";
import { withRedisPrefix } from "./testing.ts";

integrationTest({
  name: "Redis pub/sub meets the pub/sub contract, across two clients",
  requires: ["REDIS_URL"],
  fn: ({ REDIS_URL }, t) =>
    withRedisPrefix(REDIS_URL, async (client, prefix) => {
      // The peer has connections of its own, as another API process would.
      const otherClient = await connectRedis(REDIS_URL, { name: "test-peer" });
      const pubsub = await RedisPubSub.open(client, { prefix });
      const peer = await RedisPubSub.open(otherClient, { prefix });
      try {
        const { latenciesMs } = await runPubSubContract(t, pubsub, peer);
        const sorted = latenciesMs.toSorted((a, b) => a - b);
        const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))]!.toFixed(2);
        console.log(
          `Redis pub/sub publish-to-delivery across clients: median ${at(0.5)} ms, ` +
            `max ${at(1)} ms over ${sorted.length} messages`,
        );
      } finally {
        await pubsub.close();
        await peer.close();
        await closeRedis(otherClient);
      }
    }),
});
