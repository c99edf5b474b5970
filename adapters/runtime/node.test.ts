/** The same service on Node.js (20+): start on the embedded default, create a movie, read it back. */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startService } from "../testing/service-process.ts";

Deno.test("on Node.js the embedded service creates and reads a movie", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "streaming-node-"));
  try {
    const service = await startService("node", ["--import", "tsx", "main.ts"], {
      PORT: "0",
      DATA_DIR: dataDir,
    });
    const created = await fetch(`${service.url}/v1/videos`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content_type: "movie", title: "Arrival", release_year: 2016 }),
    });
    assert.equal(created.status, 201);
    const { id } = await created.json();
    let read = await fetch(`${service.url}/v1/videos/${id}`);
    for (let tries = 0; read.status === 404 && tries < 100; tries++) {
      await read.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 50)); // the read model catches up
      read = await fetch(`${service.url}/v1/videos/${id}`);
    }
    assert.equal((await read.json()).title, "Arrival");
    assert.equal(await service.stop(), 0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
