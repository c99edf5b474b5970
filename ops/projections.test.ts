import assert from "node:assert/strict";

Deno.test("ops/projections names the address it could not reach and how to change it", async () => {
  // A port that was free a moment ago: nothing listens there.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  const { code, stderr } = await new Deno.Command("ops/projections", {
    args: ["status"],
    env: { PORT: String(port) },
    clearEnv: true,
    stderr: "piped",
  }).output();
  assert.equal(code, 1);
  const message = new TextDecoder().decode(stderr);
  assert.match(message, new RegExp(`cannot reach the service at http://127\\.0\\.0\\.1:${port} `));
  assert.match(message, /API_URL names where it listens/);
});
