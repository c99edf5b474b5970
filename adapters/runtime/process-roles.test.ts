/**
 * One image, several process kinds (PROCESS_ROLES): an `api` process serves requests and runs no
 * projection; a `projections` process serves no API, only health and metrics, and projects what
 * the API wrote.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startService } from "../testing/service-process.ts";

const run = (env: Record<string, string>) =>
  startService(Deno.execPath(), ["run", "-P=server", "main.ts"], { PORT: "0", ...env });

Deno.test("an api process serves requests without running projections; a projections process catches up", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "streaming-roles-"));
  try {
    const api = await run({ DATA_DIR: dataDir, PROCESS_ROLES: "api" });
    // No projection has built the catalog yet: a read asks to come back, it does not fail.
    const early = await fetch(`${api.url}/v1/videos`);
    assert.equal(early.status, 503);
    assert.equal(early.headers.get("content-type"), "application/problem+json");
    assert.equal(early.headers.get("retry-after"), "2");
    assert.match((await early.json()).detail, /still being built/);
    const created = await fetch(`${api.url}/v1/videos`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-user-id": "editor-1" },
      body: JSON.stringify({ content_type: "movie", title: "Roles" }),
    });
    assert.equal(created.status, 201);
    await created.body?.cancel();
    // A runtime that had started would have created each projection's first generation.
    const status = await (await fetch(`${api.url}/v1/projections`)).json();
    assert.ok(status.projections.length > 0);
    for (const projection of status.projections) {
      assert.deepEqual(projection.generations, [], `${projection.name} ran in the api process`);
    }
    assert.equal(await api.stop("SIGTERM"), 0, api.output.join("\n"));
    assert.ok(api.output.some((line) => line.includes('"roles":["api"]')));

    // PGlite has one opener per directory: the worker starts once the API has stopped.
    const worker = await run({ DATA_DIR: dataDir, PROCESS_ROLES: "projections" });
    const noApi = await fetch(`${worker.url}/v1/videos`);
    assert.equal(noApi.status, 404);
    await noApi.body?.cancel();
    const health = await fetch(`${worker.url}/health`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    const caughtUp =
      /^projection_lag_events\{generation="1",projection="catalog",status="live"\} 0$/m;
    let scraped = "";
    for (let i = 0; i < 200 && !caughtUp.test(scraped); i++) {
      scraped = await (await fetch(`${worker.url}/metrics`)).text();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(scraped, caughtUp);
    assert.equal(await worker.stop("SIGTERM"), 0, worker.output.join("\n"));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
