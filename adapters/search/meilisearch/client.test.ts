import assert from "node:assert/strict";
import { meilisearchClient } from "./client.ts";

Deno.test("the Meilisearch client asks for uncompressed responses, with its API key", async () => {
  // What goes on the wire, which Meilisearch cannot report back: a local server records it.
  const received: Headers[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (request) => {
    received.push(request.headers);
    return Response.json({ status: "available" });
  });
  try {
    const client = meilisearchClient({ url: `http://127.0.0.1:${server.addr.port}`, apiKey: "k" });
    assert.deepEqual(await client.health(), { status: "available" });
    assert.equal(received[0]?.get("accept-encoding"), "identity");
    assert.equal(received[0]?.get("authorization"), "Bearer k");
  } finally {
    await server.shutdown();
  }
});
