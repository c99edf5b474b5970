/** `ops/projections rebuild catalog` against a running service while a client keeps reading. */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startService } from "../testing/service-process.ts";

Deno.test("a rebuild through ops/projections: every read during it answers the whole catalog", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "streaming-rebuild-"));
  try {
    const service = await startService(Deno.execPath(), ["run", "-P=server", "main.ts"], {
      PORT: "0",
      DATA_DIR: dataDir,
      PROJECTION_BATCH_SIZE: "20",
    });
    const total = 200;
    for (let i = 0; i < total; i++) {
      const response = await fetch(`${service.url}/v1/videos`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ content_type: "movie", title: `Movie ${i}` }),
      });
      await response.body?.cancel();
    }
    const totalNow = async () => {
      const response = await fetch(`${service.url}/v1/videos?limit=1`);
      return response.ok ? (await response.json()).total : `HTTP ${response.status}`;
    };
    while (await totalNow() !== total) await new Promise((resolve) => setTimeout(resolve, 20));

    const rebuild = new Deno.Command("ops/projections", {
      args: ["rebuild", "catalog"],
      env: { API_URL: service.url },
      stdout: "piped",
      stderr: "piped",
    }).output();
    let finished = false;
    rebuild.finally(() => finished = true);
    const answers = new Set<unknown>();
    while (!finished) answers.add(await totalNow());
    const { code, stdout, stderr } = await rebuild;
    const output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    assert.equal(code, 0, output);
    assert.match(output, /catalog: generation 2 is live/);
    assert.deepEqual([...answers], [total]);
    assert.equal(await service.stop(), 0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
