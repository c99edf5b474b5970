/**
 * PostgreSQL restarted under a running service: while it is down, writes and reads answer 503
 * with Retry-After (never a 500, never a crash); once it is back, writes are accepted again, the
 * projections go on, and every write answered 201 shows up in the read model.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engine } from "../testing/engines.ts";
import { integrationTest } from "../testing/integration.ts";
import { withScratchDatabase } from "../testing/scratch-database.ts";
import { startService } from "../testing/service-process.ts";

integrationTest({
  name: "PostgreSQL restarted: 503 with Retry-After meanwhile, then nothing it accepted is lost",
  requires: ["POSTGRES_URL"],
  stopsSharedEngines: true,
  fn: ({ POSTGRES_URL }) => withScratchDatabase(POSTGRES_URL, postgresRestart),
});

async function postgresRestart(databaseUrl: string) {
  const dataDir = await mkdtemp(join(tmpdir(), "streaming-pg-outage-"));
  const service = await startService(Deno.execPath(), ["run", "-P=server", "main.ts"], {
    PORT: "0",
    DATA_DIR: dataDir,
    EVENT_STORE: "postgres",
    POSTGRES_URL: databaseUrl,
  });
  const accepted: string[] = [];
  const create = async (title: string) => {
    const response = await fetch(`${service.url}/v1/videos`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-user-id": "editor-1" },
      body: JSON.stringify({ content_type: "movie", title }),
    });
    if (response.status === 201) accepted.push((await response.json()).id);
    else await response.body?.cancel();
    return response;
  };
  let serverDown = false;
  try {
    assert.equal((await create("before")).status, 201);
    await engine("down", "postgres");
    serverDown = true;
    for (const response of [await create("during"), await fetch(`${service.url}/v1/videos`)]) {
      assert.equal(response.status, 503);
      assert.equal(response.headers.get("content-type"), "application/problem+json");
      assert.ok(Number(response.headers.get("retry-after")) > 0);
      await response.body?.cancel();
    }

    await engine("up", "postgres");
    serverDown = false;
    // Pooled connections learn of the restart on their next use: a few more 503s, then 201.
    const deadline = Date.now() + 60_000;
    while ((await create("after")).status !== 201 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(accepted.length, 2, "accepted again once the server is back");

    const listed = async () => {
      const response = await fetch(`${service.url}/v1/videos?limit=100`);
      if (response.status !== 200) return (await response.body?.cancel(), []);
      return ((await response.json()).items as { id: string }[]).map((video) => video.id);
    };
    let ids: string[] = [];
    while (accepted.some((id) => !ids.includes(id)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      ids = await listed();
    }
    assert.deepEqual(ids.toSorted(), accepted.toSorted(), "every accepted video is listed");
    assert.equal(service.output.some((line) => line.includes("Uncaught")), false);
  } finally {
    if (serverDown) await engine("up", "postgres");
    await service.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
